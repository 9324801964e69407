#include "sink/webhook_request.hpp"

#include <algorithm>
#include <cctype>
#include <string_view>

#include <fmt/format.h>

namespace herald::sink::webhook {

namespace {

// Enough for the excerpt an error quotes, with room to cut on a character boundary.
constexpr std::size_t kBodyCaptureBytes = 2 * kBodyExcerptBytes;

bool has_line_break(std::string_view text) {
  return text.find_first_of("\r\n") != std::string_view::npos;
}

bool header_named(std::string_view line, std::string_view name) {
  if (line.size() <= name.size() || line[name.size()] != ':') return false;
  return std::equal(name.begin(), name.end(), line.begin(), [](char a, char b) {
    return std::tolower(static_cast<unsigned char>(a)) ==
           std::tolower(static_cast<unsigned char>(b));
  });
}

std::string header_value(std::string_view line) {
  line.remove_prefix(line.find(':') + 1);
  while (!line.empty() && (line.front() == ' ' || line.front() == '\t')) line.remove_prefix(1);
  while (!line.empty() && (line.back() == '\r' || line.back() == '\n' || line.back() == ' ')) {
    line.remove_suffix(1);
  }
  return std::string(line);
}

// Options that are the same for every request of the sink. A setopt failure here means
// libcurl lacks a feature herald needs: report the first one.
Result<void> configure(CURL* easy, const RequestShape& shape) {
  CURLcode code = CURLE_OK;
  const auto set = [&](CURLoption option, auto value) {
    if (code == CURLE_OK) code = curl_easy_setopt(easy, option, value);
  };
  set(CURLOPT_URL, shape.target.url.c_str());
  set(CURLOPT_PROTOCOLS_STR, "http,https");
  set(CURLOPT_HTTP_VERSION, static_cast<long>(CURL_HTTP_VERSION_1_1));
  set(CURLOPT_POST, 1L);
  set(CURLOPT_FOLLOWLOCATION, 0L);  // a 3xx is the answer: Permanent, see webhook_reply.hpp
  set(CURLOPT_TIMEOUT_MS, static_cast<long>(shape.timeout.count()));
  set(CURLOPT_NOSIGNAL, 1L);  // libcurl must not use signals in a threaded process
  set(CURLOPT_TCP_KEEPALIVE, 1L);
  set(CURLOPT_TCP_KEEPIDLE, 30L);
  set(CURLOPT_TCP_KEEPINTVL, 15L);
  set(CURLOPT_USERAGENT, shape.user_agent.c_str());
  if (code != CURLE_OK) {
    return make_error(
        fmt::format("libcurl rejected a webhook option: {}", curl_easy_strerror(code)));
  }
  return {};
}

}  // namespace

Request::Request(PrivateTag /*tag*/, EasyPtr easy) : easy_(std::move(easy)) {}

Result<std::unique_ptr<Request>> Request::create(const RequestShape& shape) {
  EasyPtr easy(curl_easy_init());
  if (!easy) return make_error("libcurl could not create a handle (out of memory?)");
  if (auto configured = configure(easy.get(), shape); !configured) return configured.error();
  auto request = std::make_unique<Request>(PrivateTag{}, std::move(easy));
  CURL* handle = request->handle();
  Request* self = request.get();
  curl_easy_setopt(handle, CURLOPT_PRIVATE, self);
  curl_easy_setopt(handle, CURLOPT_ERRORBUFFER, request->error_buffer_.data());
  curl_easy_setopt(handle, CURLOPT_WRITEFUNCTION, &Request::on_body);
  curl_easy_setopt(handle, CURLOPT_WRITEDATA, self);
  curl_easy_setopt(handle, CURLOPT_HEADERFUNCTION, &Request::on_header);
  curl_easy_setopt(handle, CURLOPT_HEADERDATA, self);
  return request;
}

Result<void> Request::prepare(const RequestShape& shape, Delivery&& delivery,
                              std::int64_t timestamp) {
  token_ = delivery.token;
  reply_ = Reply{};
  error_buffer_[0] = '\0';
  if (has_line_break(delivery.event_id)) {
    return make_error("the event id contains a line break and cannot be sent as webhook-id");
  }
  body_ = std::move(delivery.payload);
  SlistPtr headers;
  bool appended = true;
  const auto append = [&](const std::string& line) {
    curl_slist* grown = curl_slist_append(headers.get(), line.c_str());
    if (grown == nullptr) {
      appended = false;
    } else {
      static_cast<void>(headers.release());  // `grown` now owns the list
      headers.reset(grown);
    }
  };
  for (const auto& line : shape.fixed_headers) append(line);
  append("webhook-id: " + delivery.event_id);
  append(fmt::format("webhook-timestamp: {}", timestamp));
  if (shape.signer != nullptr) {
    append("webhook-signature: " + shape.signer->sign(delivery.event_id, timestamp, body_));
  }
  if (!appended) return make_error("out of memory building the webhook request headers");
  headers_ = std::move(headers);
  CURL* easy = easy_.get();
  curl_easy_setopt(easy, CURLOPT_HTTPHEADER, headers_.get());
  curl_easy_setopt(easy, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body_.size()));
  curl_easy_setopt(easy, CURLOPT_POSTFIELDS, body_.data());
  return {};
}

Reply Request::take_reply(CURLcode result, const Target& target) {
  Reply reply = std::move(reply_);
  reply_ = Reply{};
  reply.transport = result;
  // Whatever came back may quote the URL (an error page naming the path, a redirect to the
  // https:// twin of the URL with the same token): none of it leaves the sink unscrubbed.
  if (result != CURLE_OK) reply.transport_error = scrub(error_buffer_.data(), target);
  reply.body_head = scrub(std::move(reply.body_head), target);
  if (reply.location) reply.location = scrub(std::move(*reply.location), target);
  long status = 0;  // NOLINT(google-runtime-int): libcurl's type
  curl_easy_getinfo(easy_.get(), CURLINFO_RESPONSE_CODE, &status);
  reply.status = status;
  return reply;
}

std::size_t Request::on_body(char* data, std::size_t size, std::size_t count, void* self) noexcept {
  auto* request = static_cast<Request*>(self);
  const std::size_t bytes = size * count;
  std::string& head = request->reply_.body_head;
  if (head.size() < kBodyCaptureBytes) {
    head.append(data, std::min(bytes, kBodyCaptureBytes - head.size()));
  }
  return bytes;  // the rest is read and dropped, so the connection stays usable
}

std::size_t Request::on_header(char* data, std::size_t size, std::size_t count,
                               void* self) noexcept {
  auto* request = static_cast<Request*>(self);
  const std::size_t bytes = size * count;
  const std::string_view line(data, bytes);
  Reply& reply = request->reply_;
  if (line.starts_with("HTTP/")) {
    // A new response begins (after a 100 Continue): forget the previous one's headers.
    reply.retry_after.reset();
    reply.location.reset();
  } else if (header_named(line, "retry-after")) {
    reply.retry_after = header_value(line);
  } else if (header_named(line, "location")) {
    reply.location = header_value(line);
  }
  return bytes;
}

}  // namespace herald::sink::webhook
