#pragma once
// What the NATS sink shares between the thread that publishes, the thread that reads acks
// and nats.c's connection callbacks: the messages in flight, the connection's health, and
// the way to the CompletionQueue.
//
// Messages in flight are tracked two ways. A message of its own has a reply subject and
// completes by its ack. A linked message belongs to the chain (see nats_sink.hpp): most
// of them ask for no ack, and each ack that does come confirms every link up to its own.
// When the chain breaks, every link not yet confirmed completes as Retry.
//
// Lifetime: nats.c may run an ack or connection callback after the sink has closed its
// handles (a callback already under way on a delivery thread). So callbacks never get a
// pointer to the state: they get a registry id, look the state up and hold a shared_ptr
// while they use it. Once closed, the state pushes nothing more, so a late callback
// neither touches freed memory nor reports a delivery twice.

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>

#include <deque>

#include "sink/completion_queue.hpp"
#include "sink/nats_publish_ack.hpp"
#include "sink/nats_publish_outcome.hpp"
#include "sink/sink.hpp"

namespace herald::sink::nats {

class PublishState {
 public:
  PublishState(CompletionQueue& queue, std::string label, std::chrono::milliseconds ack_timeout)
      : queue_(queue), label_(std::move(label)), ack_timeout_(ack_timeout) {}
  PublishState(const PublishState&) = delete;
  PublishState& operator=(const PublishState&) = delete;

  // A message published with reply subject `<inbox>.<reply_id>`, whose ack will come back
  // on that subject. Call before publishing: another thread may read the ack before the
  // publish returns. Its ack is due within ack_timeout (see expire_overdue).
  void track(std::uint64_t reply_id, std::uint64_t token, std::string subject);
  // The publish failed: forget the message, return its token.
  std::optional<std::uint64_t> untrack(std::uint64_t reply_id);
  // Completes the message whose reply subject ends in `reply_id` as its ack says: a
  // message of its own Delivered or failed, or a link with every link before it. False
  // when nothing waited for this ack (completed already, e.g. expired before it came).
  bool complete(std::uint64_t reply_id, const PublishAck& ack);
  // Completes every message in flight as `failure` says (the server answered "no
  // responders" for one of them, and nats.c does not say which).
  void fail_all(const PublishFailure& failure);

  // --- The chain ---
  // What the acks of messages of their own tell about the stream: the newest fresh store
  // (not a duplicate), and how many fresh stores in a row took consecutive sequences,
  // i.e. nobody else stored anything between them. Any failure starts the count anew.
  struct Observed {
    std::uint64_t reply_id = 0;
    std::uint64_t sequence = 0;
    std::size_t consecutive = 0;
  };
  Observed observed() const;
  // Lets links in; false while links of an earlier chain still wait for their ack.
  bool start_chain();
  // A linked message, to be stored at `sequence`; `reply_id` 0 when it asks for no ack.
  // Call before publishing it. False when the chain has broken: do not publish it.
  bool link(std::uint64_t reply_id, std::uint64_t token, std::string subject,
            std::uint64_t sequence);
  // Completes every link not yet confirmed as Retry, saying `why`; no link is let in
  // until the next start_chain().
  void break_chain(const std::string& why);
  // Started and not broken.
  bool chained() const;
  // No more links (those in flight still complete by their acks).
  void end_chain();

  // Completes as Retry every message whose ack is overdue at `now`; an ack that
  // comes later finds nothing to complete. herald keeps this deadline itself instead of
  // asking nats.c (jsPubOptions.MaxWait), which arms a timer per message: a wake-up of
  // its timer thread for every event.
  void expire_overdue(std::chrono::steady_clock::time_point now);

  // Deliveries tracked by the caller itself (core NATS batches): count one in flight...
  void begin();
  // ...and complete it.
  void finish(Completion completion);

  // Completes every message in flight as Retry with `reason` and stops pushing completions.
  void close(const std::string& reason);
  bool closed() const;

  std::size_t in_flight() const { return in_flight_.load(std::memory_order_acquire); }

  // For callbacks: what to call the sink in logs, how long an ack may take.
  const std::string& label() const { return label_; }
  std::chrono::milliseconds ack_timeout() const { return ack_timeout_; }

  // Whether a delivery completed as Retry since the last unfence(): the owner of a sink
  // that fences (NatsSinkSettings::fence_after_retry) then sends nothing more.
  bool retried() const { return retried_.load(std::memory_order_acquire); }
  void unfence() { retried_.store(false, std::memory_order_release); }

  bool connected() const { return connected_.load(std::memory_order_acquire); }
  // Returns whether this changed the value, so a transition is logged once.
  bool set_connected(bool connected) {
    return connected_.exchange(connected, std::memory_order_acq_rel) != connected;
  }

 private:
  struct Tracked {
    std::uint64_t token;
    std::chrono::steady_clock::time_point due;
    std::string subject;  // for error messages
  };
  struct Link {
    std::uint64_t reply_id;  // 0: no ack asked
    std::uint64_t token;
    std::uint64_t sequence;
    std::chrono::steady_clock::time_point due;
    std::string subject;
  };
  enum class ChainState { Off, On, Broken };

  Completion failed(const Tracked& tracked, const PublishFailure& failure) const;
  void observe_locked(std::uint64_t reply_id, const PublishAck& ack);
  bool confirm_links_locked(std::uint64_t reply_id, const PublishAck& ack);
  void break_chain_locked(const std::string& why);
  void push_locked(Completion completion);

  CompletionQueue& queue_;
  const std::string label_;
  const std::chrono::milliseconds ack_timeout_;
  mutable std::mutex mutex_;
  std::unordered_map<std::uint64_t, Tracked> tokens_;
  std::deque<Link> links_;  // in stream order
  ChainState chain_ = ChainState::Off;
  Observed observed_;
  std::atomic<std::size_t> in_flight_{0};
  std::atomic<bool> connected_{false};
  std::atomic<bool> retried_{false};
  bool closed_ = false;
};

// The id a C callback gets as its closure, and the way back from it.
std::uint64_t register_state(std::shared_ptr<PublishState> state);
void unregister_state(std::uint64_t id);
std::shared_ptr<PublishState> find_state(void* closure) noexcept;
void* closure_of(std::uint64_t id);

}  // namespace herald::sink::nats
