#pragma once
// What the NATS sink tests need besides the sink: an independent nats.c client to set up
// and inspect streams, read stored messages back, subscribe; and a way to wait for
// completions.

#include <nats/nats.h>

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "sink/completion_queue.hpp"
#include "sink/nats_handles.hpp"
#include "sink/nats_sink.hpp"

namespace herald::sink {
// gtest prints outcomes by name.
inline void PrintTo(Outcome outcome, std::ostream* out) {
  constexpr const char* kNames[] = {"Delivered", "Retry", "Permanent", "Disabled"};
  *out << kNames[static_cast<int>(outcome)];
}
}  // namespace herald::sink

namespace herald::testing {

struct StreamFacts {
  std::vector<std::string> subjects;
  std::chrono::nanoseconds duplicate_window{0};
  jsStorageType storage = js_FileStorage;
  std::uint64_t messages = 0;
};

struct StoredMessage {
  std::string subject;
  std::string data;
  std::string msg_id;  // the Nats-Msg-Id header, empty when absent
  // A linked publish's Nats-Expected-Last-* headers, empty when absent.
  std::string expected_last_msg_id;
  std::string expected_last_sequence;
};

class NatsTestClient {
 public:
  // Throws std::runtime_error when it cannot connect.
  explicit NatsTestClient(const std::string& url);

  natsConnection* connection() const { return connection_.get(); }
  jsCtx* js() const { return js_.get(); }

  // A memory stream as an operator might have made it (0 = server defaults).
  natsStatus add_stream(const std::string& name, const std::vector<std::string>& subjects,
                        std::chrono::seconds duplicate_window = std::chrono::seconds(0),
                        std::int32_t max_message_bytes = 0);
  std::optional<StreamFacts> stream(const std::string& name) const;
  // Publishes "{}" to `subject` through JetStream, as another application would, and
  // waits for its ack.
  natsStatus publish(const std::string& subject) const;
  std::optional<StoredMessage> message(const std::string& stream, std::uint64_t sequence) const;

 private:
  sink::nats::ConnectionPtr connection_;
  sink::nats::JetStreamPtr js_;
};

// Settings for a sink on `url` publishing under `prefix.>` into `stream`.
sink::NatsSinkSettings sink_settings(const std::string& url, const std::string& stream,
                                     const std::string& prefix);

// Submits, waiting for completions whenever the window is full (completions drained while
// waiting are appended to `done`). False when the window stayed full for `timeout`.
bool submit_waiting(sink::Sink& sink, sink::CompletionQueue& queue, const sink::Delivery& delivery,
                    std::vector<sink::Completion>& done,
                    std::chrono::milliseconds timeout = std::chrono::seconds(30));

// Drains the queue until `done` holds at least `count` completions or `timeout` passes.
bool collect(sink::CompletionQueue& queue, std::vector<sink::Completion>& done, std::size_t count,
             std::chrono::milliseconds timeout = std::chrono::seconds(30));

sink::Delivery delivery(std::uint64_t token, const std::string& subject, const std::string& id,
                        const std::string& payload);

// Submits `deliveries` to a sink with acks_polled as the capture loop does: poll() after
// every `batch` (the stream ran dry) and while the window is full, then until every one
// has completed (30 s at most). The outcomes by token; each token must complete once.
std::map<std::uint64_t, sink::Completion> pump_polled(sink::NatsSink& sink,
                                                      sink::CompletionQueue& queue,
                                                      const std::vector<sink::Delivery>& deliveries,
                                                      std::size_t batch);

// The Nats-Msg-Id of every message `stream` holds, in stream order ("?" for a gap).
std::vector<std::string> stored_ids(const NatsTestClient& client, const std::string& stream);

}  // namespace herald::testing
