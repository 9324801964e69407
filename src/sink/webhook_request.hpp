#pragma once
// One reusable POST slot of the webhook sink: a libcurl easy handle set up once for the
// target (keep-alive, HTTP/1.1, no redirects, timeout), filled per delivery with the body
// and the Standard Webhooks headers, and read back into a Reply when libcurl is done.
// Slots are recycled so each request reuses the handle's buffers; connections live in the
// multi handle's cache and are reused across slots.

#include <array>
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "common/result.hpp"
#include "sink/sink.hpp"
#include "sink/webhook_handles.hpp"
#include "sink/webhook_reply.hpp"
#include "sink/webhook_signature.hpp"
#include "sink/webhook_target.hpp"

namespace herald::sink::webhook {

// What every request of one sink shares; outlives the requests.
struct RequestShape {
  Target target;
  std::string user_agent;
  std::chrono::milliseconds timeout{10000};
  std::vector<std::string> fixed_headers;  // "Name: value" lines: Content-Type, config headers
  const Signer* signer = nullptr;          // null: no webhook-signature
};

class Request {
  struct PrivateTag {};

 public:
  static Result<std::unique_ptr<Request>> create(const RequestShape& shape);
  Request(PrivateTag tag, EasyPtr easy);  // use create()
  Request(const Request&) = delete;       // libcurl holds `this` for the callbacks: never moves
  Request& operator=(const Request&) = delete;

  // Readies the handle for one delivery sent at `timestamp` (unix seconds), taking over
  // its payload. Fails when the delivery cannot go into HTTP headers (an id with line
  // breaks).
  Result<void> prepare(const RequestShape& shape, Delivery&& delivery, std::int64_t timestamp);

  CURL* handle() const { return easy_.get(); }
  std::uint64_t token() const { return token_; }

  // What came back, once libcurl reports the transfer done with `result`, with every hidden
  // part of the target's URL scrubbed from it.
  Reply take_reply(CURLcode result, const Target& target);

 private:
  static std::size_t on_body(char* data, std::size_t size, std::size_t count, void* self) noexcept;
  static std::size_t on_header(char* data, std::size_t size, std::size_t count,
                               void* self) noexcept;

  EasyPtr easy_;
  SlistPtr headers_;
  std::string body_;  // libcurl reads the POST body from here (CURLOPT_POSTFIELDS)
  std::uint64_t token_ = 0;
  Reply reply_;
  std::array<char, CURL_ERROR_SIZE> error_buffer_{};
};

}  // namespace herald::sink::webhook
