#pragma once
// What the NATS sink shares between the thread that publishes, the thread that reads acks
// and nats.c's connection callbacks: the messages in flight, the connection's health, and
// the way to the CompletionQueue.
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

#include "sink/completion_queue.hpp"
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
  // Completes the tracked message: Delivered, or as `failure` says. False when it was not
  // tracked (already completed, e.g. expired before this late ack).
  bool complete(std::uint64_t reply_id, const std::optional<PublishFailure>& failure);
  // Completes every tracked message as `failure` says (the server answered "no
  // responders" for one of them, and nats.c does not say which).
  void fail_all(const PublishFailure& failure);

  // Completes as Retry every tracked message whose ack is overdue at `now`; an ack that
  // comes later finds nothing to complete. herald keeps this deadline itself instead of
  // asking nats.c (jsPubOptions.MaxWait), which arms a timer per message: a wake-up of
  // its timer thread for every event.
  void expire_overdue(std::chrono::steady_clock::time_point now);

  // Deliveries tracked by the caller itself (core NATS batches): count one in flight...
  void begin();
  // ...and complete it.
  void finish(Completion completion);

  // Completes every tracked message as Retry with `reason` and stops pushing completions.
  void close(const std::string& reason);
  bool closed() const;

  std::size_t in_flight() const { return in_flight_.load(std::memory_order_acquire); }

  // For callbacks: what to call the sink in logs, how long an ack may take.
  const std::string& label() const { return label_; }
  std::chrono::milliseconds ack_timeout() const { return ack_timeout_; }

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
  Completion failed(const Tracked& tracked, const PublishFailure& failure) const;
  void push_locked(Completion completion);

  CompletionQueue& queue_;
  const std::string label_;
  const std::chrono::milliseconds ack_timeout_;
  mutable std::mutex mutex_;
  std::unordered_map<std::uint64_t, Tracked> tokens_;
  std::atomic<std::size_t> in_flight_{0};
  std::atomic<bool> connected_{false};
  bool closed_ = false;
};

// The id a C callback gets as its closure, and the way back from it.
std::uint64_t register_state(std::shared_ptr<PublishState> state);
void unregister_state(std::uint64_t id);
std::shared_ptr<PublishState> find_state(void* closure) noexcept;
void* closure_of(std::uint64_t id);

}  // namespace herald::sink::nats
