#pragma once
// NatsSink: delivers events to NATS, by default as JetStream publishes that the stream
// acknowledges, deduplicated by `Nats-Msg-Id: <event id>`.
//
// Completions (exactly one per accepted delivery):
// - JetStream: Delivered when the stream acknowledged the message, including a duplicate
//   ack (the id was already stored, e.g. a replay after a crash). Retry when no ack came
//   within `ack_timeout` (the server went away, the message sat in the reconnect buffer),
//   when nothing answered (no responders), when the reconnect buffer is full, or when
//   JetStream reports a transient state (store full, no leader). Permanent when JetStream
//   rejects the message itself or the subject/payload is invalid (nats_publish_outcome.hpp).
//   A Retry may still have been stored: the retry is then acked as a duplicate.
// - Core NATS (`jetstream = false`): Delivered once a flush round trip (PING/PONG) after
//   the publish succeeded, i.e. the server has read the message. That is all core NATS
//   promises: a subscriber that is not connected at that moment never sees it.
// - close(): whatever is still in flight completes as Retry.
//
// submit() never blocks: it returns false when `max_in_flight` deliveries are
// outstanding.
//
// JetStream acks: each publish carries a reply subject `<inbox>.<n>` on a synchronous
// subscription of the sink's own. With `acks_polled` the owner reads them in poll(),
// between its own reads and publishes, so acks cost no thread wake-up of their own (nats.c's
// asynchronous publish API hands each batch of acks to a delivery thread, which then wakes
// the owner again); otherwise the sink's ack reader thread reads them as they arrive. That
// thread also completes publishes whose ack is overdue.

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "common/result.hpp"
#include "sink/completion_queue.hpp"
#include "sink/nats_handles.hpp"
#include "sink/nats_publish_state.hpp"
#include "sink/sink.hpp"

namespace herald::sink {

namespace nats {
class CoreFlusher;
}

struct NatsSinkSettings {
  std::string url = "nats://127.0.0.1:4222";  // may list several, comma-separated
  bool jetstream = true;
  std::string stream = "FRAISEQL";
  // Subjects the stream must cover: "<prefix>.>" plus every configured subject.
  std::vector<std::string> subjects;
  std::size_t max_in_flight = 4096;
  std::chrono::milliseconds ack_timeout{5000};  // JetStream ack, or core NATS flush
  std::chrono::seconds duplicate_window{120};   // the stream's at least this
  std::string connection_name = "herald";
  std::chrono::milliseconds connect_timeout{2000};
  std::chrono::milliseconds reconnect_wait{500};
  int reconnect_buffer_bytes = 32 * 1024 * 1024;  // publishes held while reconnecting
  std::chrono::milliseconds ping_interval{5000};  // how fast a dead peer is noticed
  // JetStream acks are read by the owner's poll() calls (see above), not as they arrive.
  bool acks_polled = false;
};

class NatsSink final : public Sink {
  struct PrivateTag {};

 public:
  // Connects (reconnecting forever afterwards). Fails when no server answers now.
  static Result<std::unique_ptr<NatsSink>> connect(NatsSinkSettings settings,
                                                   CompletionQueue& completions);
  // Use connect(); public only for make_unique.
  NatsSink(PrivateTag tag, NatsSinkSettings settings, std::shared_ptr<nats::PublishState> state,
           std::uint64_t state_id);
  ~NatsSink() override;
  NatsSink(const NatsSink&) = delete;
  NatsSink& operator=(const NatsSink&) = delete;

  // Creates or extends the stream (JetStream mode; a no-op for core NATS). Call at start,
  // before submitting.
  Result<void> ensure_stream();

  bool submit(const Delivery& delivery) override;
  std::size_t in_flight() const override;
  bool healthy() const override;
  std::string describe() const override;
  // With acks_polled: reads the JetStream acks that have arrived (never waits).
  void poll() override;

  // submit(), poll() and close() belong to one thread (the dispatcher's); in_flight(),
  // healthy() and describe() may be called from any.

  // Stops accepting deliveries, waits up to `grace` for those in flight, completes the
  // rest as Retry and disconnects. Idempotent; the destructor calls close({}).
  void close(std::chrono::milliseconds grace);

 private:
  Result<void> open();
  void publish_jetstream(const nats::MsgPtr& msg, std::uint64_t reply_id, const Delivery& delivery);
  // Reads acks until none is left, waiting up to `wait` for the first, and hands the read
  // messages to `spent`; false once the subscription is closed.
  bool drain_acks(std::chrono::milliseconds wait, nats::SpentMsgs& spent);
  void settle(natsMsg* ack);
  void read_acks_until(const std::stop_token& stop, std::chrono::milliseconds period);
  void publish_core(const nats::MsgPtr& msg, const Delivery& delivery);
  void fail_now(std::uint64_t token, natsStatus status, const std::string& subject);

  NatsSinkSettings settings_;
  std::shared_ptr<nats::PublishState> state_;
  std::uint64_t state_id_;
  nats::ConnectionPtr connection_;
  nats::JetStreamPtr js_;
  std::unique_ptr<nats::CoreFlusher> flusher_;
  nats::SubscriptionPtr acks_;  // JetStream: replies to publishes, on inbox_ + "*"
  std::string inbox_;           // "_INBOX.<unique>."
  std::uint64_t next_reply_id_ = 1;
  std::string reply_subject_;        // reused buffer for inbox_ + id
  nats::SpentMsgs spent_;            // the owner thread's published messages and read acks
  std::jthread ack_reader_;          // JetStream: reads acks unless polled; expires overdue ones
  std::atomic<bool> closed_{false};  // healthy() may be asked from any thread
};

}  // namespace herald::sink
