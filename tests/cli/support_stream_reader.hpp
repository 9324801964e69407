#pragma once
// Reads back what `herald run` stored in a JetStream stream, independently of herald's own
// NATS code: every message with its stream sequence, subject, Nats-Msg-Id header and body
// parsed as JSON, in stream order.

#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace herald::testing {

struct StreamMessage {
  std::uint64_t sequence = 0;
  std::string subject;
  std::string msg_id;   // the Nats-Msg-Id header, empty when absent
  std::string data;     // the body as published
  nlohmann::json body;  // the body parsed; a discarded value when it is not JSON
};

// The number of messages the stream holds now, nullopt when the stream does not exist or
// NATS does not answer (e.g. it is being restarted).
std::optional<std::uint64_t> stream_message_count(const std::string& nats_url,
                                                  const std::string& stream);

// Every message of the stream, ordered by stream sequence. Throws std::runtime_error when
// the stream cannot be read completely within `timeout`.
std::vector<StreamMessage> read_stream(
    const std::string& nats_url, const std::string& stream,
    std::chrono::milliseconds timeout = std::chrono::seconds(30));

// What the stream is configured with, nullopt when it does not exist.
struct StreamConfig {
  std::vector<std::string> subjects;
  std::chrono::nanoseconds duplicate_window{0};
};
std::optional<StreamConfig> stream_config(const std::string& nats_url, const std::string& stream);

// Creates a stream (file storage, on `replicas` servers of a cluster) as another
// application would; throws on failure.
void create_stream(const std::string& nats_url, const std::string& stream,
                   const std::vector<std::string>& subjects, int replicas = 1);

// Publishes one message through JetStream as another application would and waits for its
// ack; throws on failure.
void publish_to_stream(const std::string& nats_url, const std::string& subject,
                       const std::string& data);

// Waits until the stream holds at least `count` messages; false at the timeout.
bool wait_for_stream_count(const std::string& nats_url, const std::string& stream,
                           std::uint64_t count,
                           std::chrono::milliseconds timeout = std::chrono::seconds(20));

// Waits until the stream holds at least `count` messages and then reads them all. Throws
// std::runtime_error (with the count reached) when fewer arrive within `timeout`.
std::vector<StreamMessage> wait_and_read_stream(
    const std::string& nats_url, const std::string& stream, std::uint64_t count,
    std::chrono::milliseconds timeout = std::chrono::seconds(20));

}  // namespace herald::testing
