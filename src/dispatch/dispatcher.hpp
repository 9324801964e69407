#pragma once
// Hands events to their targets' sinks and follows each delivery until it settles, so
// the SettleTracker knows how far the slot may be confirmed.
//
// Brokers: deliveries go straight to the sink; a failure puts the dispatcher in
// "broken" state and the capture loop restarts from the slot.
// Other targets (webhooks): one delivery per entity in flight, later events of that
// entity wait behind it; a failed delivery is parked in herald.retries together with
// the events waiting behind it, and the entity's later events are parked too until the
// retry worker has delivered (or dead-lettered) them all. Other entities keep flowing.
//
// The dispatcher never blocks. When a sink's window is full, or too many events wait
// behind busy entities, backlogged() is true and the capture loop stops reading WAL.

#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <random>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "common/metrics.hpp"
#include "config/config.hpp"
#include "dispatch/retry_store.hpp"
#include "dispatch/settle_tracker.hpp"
#include "dispatch/target.hpp"
#include "event/event.hpp"
#include "sink/completion_queue.hpp"

namespace herald::dispatch {

struct DispatchStats {
  std::uint64_t submitted = 0;
  std::uint64_t delivered = 0;
  std::uint64_t failed = 0;
  std::uint64_t parked = 0;
  std::uint64_t dead = 0;
};

class Dispatcher {
 public:
  using Clock = std::chrono::steady_clock;
  using DeadLetterObserver = std::function<void(const DeadLetter&)>;

  // `store` may be null when every target is a broker.
  Dispatcher(Routing routing, config::Format format, sink::CompletionQueue& completions,
             SettleTracker& tracker, RetryStore* store);

  // Loads the entities that still have parked deliveries (call before capturing).
  Result<void> load_parked();

  void deliver_rule_event(SettleTracker::TxnSeq txn, std::size_t rule, const event::Event& event);
  void deliver_publish_event(SettleTracker::TxnSeq txn, std::size_t publish,
                             const event::Event& event);

  // Submits what the sinks now accept; true when nothing holds capture back.
  bool flush_backlog();
  bool backlogged() const;

  // Applies every completion waiting in the queue.
  void process_completions();

  // Forgets parked entities whose deliveries the retry worker finished (at most once a
  // second; cheap to call often).
  void refresh_parked();

  // A failure the slot must replay: stop, restart capture from the slot.
  bool broken() const { return !broken_reason_.empty(); }
  const std::string& broken_reason() const { return broken_reason_; }

  // Forgets everything in flight (after a restart: the slot replays it all).
  void reset(SettleTracker& tracker);

  std::size_t in_flight() const { return in_flight_.size(); }
  // Entities (over all targets) whose new events are parked behind earlier failures.
  std::size_t parked_entities() const;
  const DispatchStats& stats() const { return stats_; }

  // Counts events, deliveries by outcome, dead letters and delivery latency (may be null).
  void set_metrics(HeraldMetrics* metrics);
  const Routing& routing() const { return routing_; }
  void set_dead_letter_observer(DeadLetterObserver observer) {
    dead_observer_ = std::move(observer);
  }

 private:
  struct Pending {
    SettleTracker::TxnSeq txn = 0;
    const Target* target = nullptr;
    sink::Delivery delivery;
    std::string ordering_key;
    capture::CommitTime committed{};
  };
  // Per non-broker target: entities with a delivery in flight (and those waiting behind
  // it), and entities with parked deliveries. (Whether it said it is gone: Target::gone.)
  struct TargetState {
    std::unordered_map<std::string, std::deque<Pending>> busy;
    std::set<std::string> parked;
  };

  void deliver(SettleTracker::TxnSeq txn, const std::vector<Target>& targets,
               const event::Event& event);
  void route(Pending pending);
  void send(Pending pending);
  bool try_submit(Pending& pending);
  void complete(const sink::Completion& completion);
  void release(const Pending& done);
  void park(Pending first, int attempts, std::chrono::milliseconds delay, const std::string& error);
  void bury(const Pending& p, int attempts, const std::string& error);
  ParkedDelivery parked_form(const Pending& p, int attempts, std::chrono::milliseconds delay,
                             const std::string& error) const;
  void fail(std::string reason);
  // One target's metric series, looked up once in set_metrics: a lookup by label values
  // builds strings, and this runs for every event.
  struct TargetSeries {
    metrics::Counter* captured = nullptr;  // the rule's events (its first target counts them)
    metrics::Counter* delivered = nullptr;
    metrics::Counter* retry = nullptr;
    metrics::Counter* failed = nullptr;
    metrics::Counter* parked = nullptr;
    metrics::Counter* dead = nullptr;
    metrics::Counter* dead_letters = nullptr;
    metrics::Histogram* latency = nullptr;
  };
  // Null when metrics are off.
  const TargetSeries* series(const Target& target) const;

  Routing routing_;
  config::Format format_;
  sink::CompletionQueue& completions_;
  SettleTracker* tracker_;
  RetryStore* store_;
  std::unordered_map<const Target*, TargetState> states_;
  std::deque<Pending> backlog_;
  std::unordered_map<std::uint64_t, Pending> in_flight_;
  std::size_t waiting_ = 0;  // behind busy entities
  std::vector<sink::Completion> drained_;
  std::uint64_t next_token_ = 1;
  std::string broken_reason_;
  DispatchStats stats_;
  Clock::time_point last_refresh_{};
  std::mt19937_64 rng_{std::random_device{}()};
  DeadLetterObserver dead_observer_;
  std::unordered_map<const Target*, TargetSeries> series_;
};

}  // namespace herald::dispatch
