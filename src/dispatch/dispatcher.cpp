#include "dispatch/dispatcher.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "event/envelope.hpp"

namespace herald::dispatch {

Dispatcher::Dispatcher(Routing routing, config::Format format, sink::CompletionQueue& completions,
                       SettleTracker& tracker)
    : routing_(std::move(routing)), format_(format), completions_(completions), tracker_(&tracker) {}

void Dispatcher::deliver_rule_event(SettleTracker::TxnSeq txn, std::size_t rule,
                                    const event::Event& event) {
  deliver(txn, routing_.rule_targets.at(rule), event);
}

void Dispatcher::deliver_publish_event(SettleTracker::TxnSeq txn, std::size_t publish,
                                       const event::Event& event) {
  deliver(txn, routing_.publish_targets.at(publish), event);
}

void Dispatcher::deliver(SettleTracker::TxnSeq txn, const std::vector<Target>& targets,
                         const event::Event& event) {
  if (targets.empty()) return;
  std::string payload = event::encode(event, format_);
  for (std::size_t i = 0; i < targets.size(); ++i) {
    const Target& target = targets[i];
    Pending p;
    p.txn = txn;
    p.target = &target;
    p.committed = event.timestamp;
    p.delivery.event_id = event.id;
    p.delivery.destination = target.destination.empty() ? event.subject : target.destination;
    // The last target takes the payload; the others copy it.
    p.delivery.payload = i + 1 == targets.size() ? std::move(payload) : payload;
    tracker_->add(txn);
    if (!backlog_.empty() || !try_submit(p)) backlog_.push_back(std::move(p));
  }
}

bool Dispatcher::try_submit(Pending& p) {
  std::uint64_t token = next_token_;
  p.delivery.token = token;
  if (!p.target->sink->submit(p.delivery)) return false;
  ++next_token_;
  ++stats_.submitted;
  in_flight_.emplace(token, InFlight{p.txn, p.target, p.committed});
  return true;
}

bool Dispatcher::flush_backlog() {
  while (!backlog_.empty()) {
    if (!try_submit(backlog_.front())) return false;
    backlog_.pop_front();
  }
  return true;
}

void Dispatcher::process_completions() {
  drained_.clear();
  completions_.drain(drained_);
  for (const auto& c : drained_) complete(c);
}

void Dispatcher::complete(const sink::Completion& c) {
  auto it = in_flight_.find(c.token);
  if (it == in_flight_.end()) return;  // from before a reset: the slot replays it
  InFlight done = it->second;
  in_flight_.erase(it);

  switch (c.outcome) {
    case sink::Outcome::Delivered:
      ++stats_.delivered;
      if (latency_observer_) {
        auto now = std::chrono::time_point_cast<std::chrono::microseconds>(
            std::chrono::system_clock::now());
        latency_observer_(now - done.committed);
      }
      tracker_->settle(done.txn);
      return;
    case sink::Outcome::Retry:
      ++stats_.failed;
      if (done.target->holds_wal_on_failure) {
        // Not settled: the slot keeps the event and the restart delivers it again.
        if (broken_reason_.empty()) {
          broken_reason_ = fmt::format("{} failed: {}", done.target->sink->describe(), c.error);
        }
        return;
      }
      break;
    case sink::Outcome::Permanent:
    case sink::Outcome::Disabled:
      ++stats_.failed;
      break;
  }
  // Until the durable retry queue and dead letters exist for this target kind, a
  // failure that cannot be retried by replaying the slot is logged loudly and settled.
  spdlog::error("delivery to {} for rule {} failed and was dropped: {}", done.target->sink->describe(),
                done.target->rule, c.error);
  tracker_->settle(done.txn);
}

void Dispatcher::reset(SettleTracker& tracker) {
  tracker_ = &tracker;
  backlog_.clear();
  in_flight_.clear();
  broken_reason_.clear();
}

}  // namespace herald::dispatch
