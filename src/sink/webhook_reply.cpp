#include "sink/webhook_reply.hpp"

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <ctime>

#include <fmt/format.h>

namespace herald::sink::webhook {

namespace {

using std::chrono::milliseconds;

std::string_view trim(std::string_view text) {
  const auto space = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
  while (!text.empty() && space(text.front())) text.remove_prefix(1);
  while (!text.empty() && space(text.back())) text.remove_suffix(1);
  return text;
}

// "HTTP 503: <body>" or "HTTP 503 (empty body)".
std::string status_error(long status, const std::string& body, std::string_view note = {}) {
  std::string text = fmt::format("HTTP {}", status);
  if (!note.empty()) text += fmt::format(" ({})", note);
  const std::string excerpt = body_excerpt(body);
  text += excerpt.empty() ? std::string(" (empty body)") : ": " + excerpt;
  return text;
}

// The words for a request that got no HTTP response; nullopt for requests that could not
// be made at all (these are permanent: sending them again changes nothing).
std::optional<std::string_view> no_response_kind(CURLcode code) {
  switch (code) {
    case CURLE_UNSUPPORTED_PROTOCOL:
    case CURLE_URL_MALFORMAT:
    case CURLE_NOT_BUILT_IN:
    case CURLE_BAD_FUNCTION_ARGUMENT:
    case CURLE_UNKNOWN_OPTION:
      return std::nullopt;
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY:
      return "cannot resolve the host";
    case CURLE_COULDNT_CONNECT:
      return "cannot connect (refused or unreachable)";
    case CURLE_OPERATION_TIMEDOUT:
      return "timed out";
    case CURLE_SEND_ERROR:
    case CURLE_RECV_ERROR:
      return "connection broken (reset or closed mid-request)";
    case CURLE_GOT_NOTHING:
      return "the server closed the connection without answering";
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CIPHER:
    case CURLE_SSL_CACERT_BADFILE:
      return "TLS failed";
    default:
      return "request failed";
  }
}

Verdict transport_verdict(const Reply& reply, milliseconds timeout) {
  const std::string detail =
      reply.transport_error.empty() ? curl_easy_strerror(reply.transport) : reply.transport_error;
  const auto kind = no_response_kind(reply.transport);
  if (!kind) {
    return Verdict{Outcome::Permanent, fmt::format("the request cannot be sent: {}", detail),
                   std::nullopt, false};
  }
  std::string error = reply.transport == CURLE_OPERATION_TIMEDOUT
                          ? fmt::format("no answer within {} ms: {}", timeout.count(), detail)
                          : fmt::format("{}: {}", *kind, detail);
  return Verdict{Outcome::Retry, std::move(error), std::nullopt, true};
}

}  // namespace

Verdict classify(const Reply& reply, std::chrono::system_clock::time_point now,
                 milliseconds timeout) {
  if (reply.transport != CURLE_OK) return transport_verdict(reply, timeout);
  const long status = reply.status;
  if (status >= 200 && status < 300) return Verdict{};
  if (status == 410) {
    return Verdict{Outcome::Disabled,
                   status_error(status, reply.body_head, "Gone: action disabled until restart"),
                   std::nullopt, false};
  }
  if (status >= 300 && status < 400) {
    const std::string note =
        reply.location
            ? fmt::format("redirects are not followed; Location: {}", body_excerpt(*reply.location))
            : std::string("redirects are not followed");
    return Verdict{Outcome::Permanent, status_error(status, reply.body_head, note), std::nullopt,
                   false};
  }
  if (status >= 400 && status < 500 && status != 408 && status != 429) {
    return Verdict{Outcome::Permanent, status_error(status, reply.body_head), std::nullopt, false};
  }
  // 408, 429, 5xx, and statuses no server should send as a final answer.
  std::optional<milliseconds> pause;
  if (reply.retry_after) pause = parse_retry_after(*reply.retry_after, now);
  return Verdict{Outcome::Retry, status_error(status, reply.body_head), pause, false};
}

std::optional<milliseconds> parse_retry_after(std::string_view value,
                                              std::chrono::system_clock::time_point now) {
  value = trim(value);
  if (value.empty()) return std::nullopt;
  if (std::all_of(value.begin(), value.end(),
                  [](char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0; })) {
    // More than a year is a typo or an attack on our queue; a year is plenty.
    constexpr std::int64_t kMaxSeconds = std::int64_t{366} * 24 * 3600;
    std::int64_t seconds = 0;
    for (const char c : value) {
      seconds = std::min(kMaxSeconds, seconds * 10 + (c - '0'));
    }
    return std::chrono::seconds(seconds);
  }
  const std::string text(value);
  const std::time_t when = curl_getdate(text.c_str(), nullptr);
  if (when == -1) return std::nullopt;
  const auto pause = std::chrono::system_clock::from_time_t(when) - now;
  return std::max(milliseconds(0), std::chrono::ceil<milliseconds>(pause));
}

std::string body_excerpt(std::string_view body) {
  if (body.size() > kBodyExcerptBytes) {
    std::size_t cut = kBodyExcerptBytes;
    // Step back over continuation bytes (10xxxxxx) to the start of the cut character.
    while (cut > 0 && (static_cast<unsigned char>(body[cut]) & 0xC0U) == 0x80U) --cut;
    body = body.substr(0, cut);
  }
  std::string out(trim(body));
  for (char& c : out) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F) c = ' ';
  }
  return out;
}

}  // namespace herald::sink::webhook
