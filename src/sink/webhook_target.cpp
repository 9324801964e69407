#include "sink/webhook_target.hpp"

#include <algorithm>
#include <optional>

#include <fmt/format.h>

#include "sink/webhook_handles.hpp"

namespace herald::sink::webhook {

namespace {

// One part of a parsed URL; nullopt when the URL lacks it.
std::optional<std::string> url_part(CURLU* url, CURLUPart part) {
  char* raw = nullptr;
  if (curl_url_get(url, part, &raw, 0) != CURLUE_OK || raw == nullptr) return std::nullopt;
  std::string value(raw);
  curl_free(raw);
  return value;
}

}  // namespace

Result<Target> parse_target(const std::string& url) {
  ensure_curl_initialized();
  const UrlPtr parsed(curl_url());
  if (!parsed) return make_error("out of memory parsing the webhook URL");
  if (const CURLUcode code = curl_url_set(parsed.get(), CURLUPART_URL, url.c_str(), 0);
      code != CURLUE_OK) {
    return make_error(fmt::format("the webhook URL is not valid: {}", curl_url_strerror(code)));
  }
  const auto scheme = url_part(parsed.get(), CURLUPART_SCHEME);
  const auto host = url_part(parsed.get(), CURLUPART_HOST);
  if (!scheme || (*scheme != "http" && *scheme != "https")) {
    return make_error("the webhook URL must start with http:// or https://");
  }
  if (!host || host->empty()) return make_error("the webhook URL names no host");

  Target target;
  target.url = url;
  target.origin = fmt::format("{}://{}", *scheme, *host);
  if (const auto port = url_part(parsed.get(), CURLUPART_PORT)) target.origin += ":" + *port;
  target.hidden.push_back(url);
  std::string path_and_query = url_part(parsed.get(), CURLUPART_PATH).value_or("");
  if (const auto query = url_part(parsed.get(), CURLUPART_QUERY)) path_and_query += "?" + *query;
  for (auto part :
       {std::optional<std::string>(path_and_query), url_part(parsed.get(), CURLUPART_USER),
        url_part(parsed.get(), CURLUPART_PASSWORD)}) {
    // A bare "/" says nothing and would mangle every slash in the text.
    if (part && part->size() > 1) target.hidden.push_back(std::move(*part));
  }
  std::sort(target.hidden.begin(), target.hidden.end(),
            [](const std::string& a, const std::string& b) { return a.size() > b.size(); });
  return target;
}

std::string scrub(std::string text, const Target& target) {
  static constexpr std::string_view kMark = "<hidden>";
  for (const auto& part : target.hidden) {
    for (auto at = text.find(part); at != std::string::npos; at = text.find(part, at)) {
      text.replace(at, part.size(), kMark);
      at += kMark.size();
    }
  }
  return text;
}

}  // namespace herald::sink::webhook
