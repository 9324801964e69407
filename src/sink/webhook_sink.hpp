#pragma once
// WebhookSink: delivers events to one webhook action as HTTP POSTs (SPEC section 4).
//
// One sink per action. A worker thread drives a libcurl multi handle: submit() queues the
// delivery and wakes it (curl_multi_wakeup); it starts the POST on a recycled easy handle,
// and connections stay open between requests (HTTP/1.1 keep-alive, TCP keep-alive), so a
// busy action reuses a handful of connections. Up to `max_in_flight` requests run at once.
//
// Each request: `POST <url>`, `Content-Type: application/json`, the configured headers,
// `webhook-id: <event id>`, `webhook-timestamp: <unix seconds>` and, with a secret,
// `webhook-signature: v1,<base64 HMAC-SHA256 of "id.timestamp.body">` (webhook_signature.hpp).
//
// Completions (exactly one per accepted delivery, pushed from the worker thread; see
// webhook_reply.hpp for the whole table): 2xx Delivered; 408/429/5xx and requests without
// an answer Retry, with Retry-After; 410 Disabled, after which the sink sends nothing more
// and completes every delivery as Disabled at once (logged once, loudly); other 4xx and
// 3xx Permanent. Errors quote the status and the start of the response body, never the
// secret, and name the target only as scheme://host[:port]: the URL may hold a token.
//
// submit() and close() belong to one thread (the dispatcher's); in_flight(), healthy()
// and describe() may be called from any.

#include <atomic>
#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "common/result.hpp"
#include "sink/completion_queue.hpp"
#include "sink/sink.hpp"

namespace herald::sink {

namespace webhook {
class Worker;
}

struct WebhookSinkSettings {
  std::string url;  // http:// or https://; treated as a secret (it may carry a token)
  std::map<std::string, std::string> headers;  // sent with every request
  // Standard Webhooks key: `whsec_<base64>` (the decoded bytes) or raw bytes. None: unsigned.
  std::optional<std::string> secret;
  std::chrono::milliseconds timeout{10000};  // whole request, connecting included
  std::size_t max_in_flight = 64;            // concurrent requests (and connections)
  std::string user_agent = default_user_agent();
  // healthy() turns false after this many requests in a row got no HTTP answer at all.
  int unhealthy_after = 3;
  // The clock for webhook-timestamp and for HTTP-date Retry-After; empty = the system clock.
  std::function<std::chrono::system_clock::time_point()> clock;

  static std::string default_user_agent();  // "herald/<version>"
};

class WebhookSink final : public Sink {
  struct PrivateTag {};

 public:
  // Checks the settings (URL, secret, headers) and starts the worker. No request is made:
  // an unreachable target shows in completions and healthy(), not here.
  static Result<std::unique_ptr<WebhookSink>> create(WebhookSinkSettings settings,
                                                     CompletionQueue& completions);
  WebhookSink(PrivateTag tag, std::unique_ptr<webhook::Worker> worker,
              std::string label);  // use create()
  ~WebhookSink() override;
  WebhookSink(const WebhookSink&) = delete;
  WebhookSink& operator=(const WebhookSink&) = delete;

  bool submit(const Delivery& delivery) override;
  std::size_t in_flight() const override;
  bool healthy() const override;
  std::string describe() const override;  // "webhook https://host:port"

  // True once the target answered 410 Gone.
  bool disabled() const;

  // Stops accepting deliveries (submit() returns false), waits up to `grace` for requests
  // in flight, completes the rest as Retry and stops the worker. Idempotent; the
  // destructor calls close({}).
  void close(std::chrono::milliseconds grace);

 private:
  std::unique_ptr<webhook::Worker> worker_;
  std::string label_;
  bool closed_ = false;  // the owning thread's view; the worker has its own flag
};

}  // namespace herald::sink
