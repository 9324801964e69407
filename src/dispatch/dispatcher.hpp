#pragma once
// Hands events to their targets' sinks and follows each delivery until it settles, so
// the SettleTracker knows how far the slot may be confirmed.
//
// The dispatcher never blocks: when a sink's window is full the delivery waits in a
// small backlog (bounded by what one WAL message can produce), and the capture loop
// stops reading WAL until the backlog drains. A broker delivery that fails puts the
// dispatcher in "broken" state: the capture loop then restarts from the slot.

#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <string>
#include <unordered_map>
#include <vector>

#include "config/config.hpp"
#include "dispatch/settle_tracker.hpp"
#include "dispatch/target.hpp"
#include "event/event.hpp"
#include "sink/completion_queue.hpp"

namespace herald::dispatch {

struct DispatchStats {
  std::uint64_t submitted = 0;
  std::uint64_t delivered = 0;
  std::uint64_t failed = 0;
};

class Dispatcher {
 public:
  using Clock = std::chrono::steady_clock;

  Dispatcher(Routing routing, config::Format format, sink::CompletionQueue& completions,
             SettleTracker& tracker);

  // Events of the transaction `txn` (a SettleTracker sequence).
  void deliver_rule_event(SettleTracker::TxnSeq txn, std::size_t rule, const event::Event& event);
  void deliver_publish_event(SettleTracker::TxnSeq txn, std::size_t publish,
                             const event::Event& event);

  // Submits backlogged deliveries the sinks now accept; true when the backlog is empty.
  bool flush_backlog();
  bool backlogged() const { return !backlog_.empty(); }

  // Applies every completion waiting in the queue.
  void process_completions();

  // A broker delivery failed: stop, wait for in-flight deliveries, restart from the slot.
  bool broken() const { return !broken_reason_.empty(); }
  const std::string& broken_reason() const { return broken_reason_; }

  // Forgets everything in flight (after a restart: the slot replays it all).
  void reset(SettleTracker& tracker);

  std::size_t in_flight() const { return in_flight_.size(); }
  const DispatchStats& stats() const { return stats_; }

  // Called with each delivery's commit-to-ack latency (for metrics and benchmarks).
  using LatencyObserver = std::function<void(std::chrono::microseconds)>;
  void set_latency_observer(LatencyObserver observer) { latency_observer_ = std::move(observer); }

 private:
  struct Pending {
    SettleTracker::TxnSeq txn = 0;
    const Target* target = nullptr;
    sink::Delivery delivery;
    capture::CommitTime committed{};
  };
  struct InFlight {
    SettleTracker::TxnSeq txn = 0;
    const Target* target = nullptr;
    capture::CommitTime committed{};
  };

  void deliver(SettleTracker::TxnSeq txn, const std::vector<Target>& targets,
               const event::Event& event);
  bool try_submit(Pending& pending);
  void complete(const sink::Completion& completion);

  Routing routing_;
  config::Format format_;
  sink::CompletionQueue& completions_;
  SettleTracker* tracker_;
  std::deque<Pending> backlog_;
  std::unordered_map<std::uint64_t, InFlight> in_flight_;
  std::vector<sink::Completion> drained_;
  std::uint64_t next_token_ = 1;
  std::string broken_reason_;
  DispatchStats stats_;
  LatencyObserver latency_observer_;
};

}  // namespace herald::dispatch
