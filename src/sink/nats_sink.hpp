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
//
// The chain (JetStream with `acks_polled` and `chain_after` > 0): an ack per message costs
// nats-server and herald about a third of their CPU per event. So when the stream stores
// nothing but this sink's messages (`chain_after` acks in a row took consecutive
// sequences), the sink links its messages instead: each carries
// `Nats-Expected-Last-Sequence` and `Nats-Expected-Last-Msg-Id` naming the message before
// it, so JetStream stores it only right behind that one, and only the last message of
// each batch (at poll(), or after `links_per_ack`) asks for an ack. A fresh ack at the
// predicted sequence proves that every link before it is stored: each was stored only
// behind its predecessor. Whatever else comes back (an error, a duplicate, another
// sequence, no ack in time) breaks the chain: every unconfirmed link completes as Retry,
// the owner sends them again, and the sink publishes each message with its own ack for
// `chain_pause` before it tries to link again. Another publisher on the stream, a message
// the stream rejects, or a replay of stored messages therefore costs a retry, never a
// message. The last link is held back until the next submit() or poll() decides whether
// it asks for the ack.

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
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
  // The chain (see above), with acks_polled only; 0 = never link.
  std::size_t chain_after = 0;
  std::size_t links_per_ack = 256;
  std::chrono::milliseconds chain_pause{60'000};
  // For an owner that answers any Retry by sending everything again from that delivery
  // on, in order (the capture loop's replay from the slot): from the first Retry until
  // the next rewind(), submit() sends nothing and completes each delivery as Retry at
  // once. A later event sent meanwhile could be stored before the earlier one's replay.
  bool fence_after_retry = false;
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
  // With acks_polled: sends the held-back link asking for its ack, and reads the
  // JetStream acks that have arrived (never waits).
  void poll() override;
  // Ends the chain: what comes next may repeat stored messages.
  void rewind() override;

  // Messages published as links of the chain, and JetStream acks that poll() read (rather
  // than the ack reader's safety net). Tests read them.
  std::uint64_t linked() const { return linked_.load(std::memory_order_relaxed); }
  std::uint64_t acks_read_by_poll() const {
    return acks_read_by_poll_.load(std::memory_order_relaxed);
  }
  // A broken chain's pause survives the sink: a renewed sink takes it over.
  std::chrono::steady_clock::time_point chain_paused_until() const { return chain_resumes_at_; }
  void pause_chain_until(std::chrono::steady_clock::time_point until) { chain_resumes_at_ = until; }

  // submit(), poll(), rewind() and close() belong to one thread (the dispatcher's);
  // in_flight(), healthy(), describe(), linked() and acks_read_by_poll() may be called
  // from any.

  // Stops accepting deliveries, waits up to `grace` for those in flight, completes the
  // rest as Retry and disconnects. Idempotent; the destructor calls close({}).
  void close(std::chrono::milliseconds grace);

 private:
  Result<void> open();
  void publish_jetstream(const nats::MsgPtr& msg, std::uint64_t reply_id, const Delivery& delivery);
  // With fence_after_retry, once a delivery completed as Retry: completes this one as
  // Retry too, unsent, and returns true.
  bool fenced(const Delivery& delivery);
  enum class Chaining { Alone, Link, Wait };
  Chaining chaining_for(const Delivery& delivery);
  bool link(const Delivery& delivery);
  void send_held(bool ask_ack);
  void stop_chaining(bool broken);
  void retry_unsent(const Delivery& delivery);
  // Reads acks until none is left, waiting up to `wait` for the first, and hands the read
  // messages to `spent`. Returns how many it read; nullopt once the subscription is closed.
  std::optional<std::size_t> drain_acks(std::chrono::milliseconds wait, nats::SpentMsgs& spent);
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

  // The chain, all the owner thread's.
  struct Held {
    Delivery delivery;
    std::uint64_t sequence = 0;  // where it is to be stored; the link before it is one less
    std::string previous_id;
  };
  Held held_;                         // the newest link, not yet published, while holding_
  std::atomic<bool> holding_{false};  // held_ counts in in_flight(), asked from any thread
  bool holding() const { return holding_.load(std::memory_order_relaxed); }
  bool chaining_ = false;
  std::uint64_t tail_sequence_ = 0;  // where the newest link goes...
  std::string tail_id_;              // ...and its id
  std::size_t links_since_ack_ = 0;  // links published since the last that asked for an ack
  std::chrono::steady_clock::time_point chain_resumes_at_{};
  std::uint64_t newest_reply_id_ = 0;  // the newest message of its own
  std::string newest_msg_id_;
  std::atomic<std::uint64_t> linked_{0};
  std::atomic<std::uint64_t> acks_read_by_poll_{0};
};

}  // namespace herald::sink
