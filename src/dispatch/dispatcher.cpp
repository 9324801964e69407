#include "dispatch/dispatcher.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "dispatch/retry_schedule.hpp"
#include "event/envelope.hpp"

namespace herald::dispatch {
namespace {

using namespace std::chrono_literals;

// Events waiting behind busy entities before capture pauses.
constexpr std::size_t kMaxWaiting = 10000;

}  // namespace

Dispatcher::Dispatcher(Routing routing, config::Format format, sink::CompletionQueue& completions,
                       SettleTracker& tracker, RetryStore* store)
    : routing_(std::move(routing)),
      format_(format),
      completions_(completions),
      tracker_(&tracker),
      store_(store) {
  for (const auto& targets : routing_.rule_targets) {
    for (const auto& t : targets) {
      if (!t.holds_wal_on_failure) states_[&t];
    }
  }
  for (const auto& targets : routing_.publish_targets) {
    for (const auto& t : targets) {
      if (!t.holds_wal_on_failure) states_[&t];
    }
  }
}

Result<void> Dispatcher::load_parked() {
  if (store_ == nullptr || states_.empty()) return {};
  auto keys = store_->parked_keys();
  if (!keys) return keys.error();
  for (auto& [target, state] : states_) {
    state.parked.clear();
    for (const auto& k : *keys) {
      if (k.rule == target->rule && k.action == target->action) state.parked.insert(k.key);
    }
  }
  last_refresh_ = Clock::now();
  return {};
}

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
  if (const auto* m = series(targets.front())) m->captured->inc();
  std::string payload = event::encode(event, format_);
  for (std::size_t i = 0; i < targets.size(); ++i) {
    const Target& target = targets[i];
    Pending p;
    p.txn = txn;
    p.target = &target;
    p.committed = event.timestamp;
    // Two targets of one event in one JetStream stream must not share a dedup key: the
    // second target's delivery id is "<id>/1", and so on.
    p.delivery.event_id = i == 0 ? event.id : event.id + "/" + std::to_string(i);
    p.delivery.destination = target.destination.empty() ? event.subject : target.destination;
    // The last target takes the payload; the others copy it.
    p.delivery.payload = i + 1 == targets.size() ? std::move(payload) : payload;
    if (!target.holds_wal_on_failure) p.ordering_key = event.ordering_key();
    tracker_->add(txn);
    route(std::move(p));
  }
}

// Decides what happens to a new delivery of a non-broker target: a dead letter when
// the target is disabled, parked behind the entity's parked deliveries, waiting behind
// the entity's delivery in flight, or sent.
void Dispatcher::route(Pending p) {
  auto state_it = states_.find(p.target);
  if (state_it == states_.end()) {
    send(std::move(p));
    return;
  }
  TargetState& state = state_it->second;
  if (const std::string gone = p.target->gone->reason(); !gone.empty()) {
    bury(p, 0, gone);
    return;
  }
  if (state.parked.count(p.ordering_key) != 0) {
    park(std::move(p), 0, 0ms, "");
    return;
  }
  if (auto busy = state.busy.find(p.ordering_key); busy != state.busy.end()) {
    busy->second.push_back(std::move(p));
    ++waiting_;
    return;
  }
  state.busy.emplace(p.ordering_key, std::deque<Pending>{});
  send(std::move(p));
}

void Dispatcher::send(Pending p) {
  if (!backlog_.empty() || !try_submit(p)) backlog_.push_back(std::move(p));
}

bool Dispatcher::try_submit(Pending& p) {
  std::uint64_t token = next_token_;
  p.delivery.token = token;
  if (!p.target->sink->submit(p.delivery)) return false;
  ++next_token_;
  ++stats_.submitted;
  in_flight_.emplace(token, std::move(p));
  return true;
}

bool Dispatcher::flush_backlog() {
  while (!backlog_.empty()) {
    if (!try_submit(backlog_.front())) return false;
    backlog_.pop_front();
  }
  return !backlogged();
}

bool Dispatcher::backlogged() const {
  return !backlog_.empty() || waiting_ > kMaxWaiting;
}

void Dispatcher::process_completions() {
  drained_.clear();
  completions_.drain(drained_);
  for (const auto& c : drained_) complete(c);
}

void Dispatcher::complete(const sink::Completion& c) {
  auto it = in_flight_.find(c.token);
  if (it == in_flight_.end()) return;  // from before a reset: the slot replays it
  Pending done = std::move(it->second);
  in_flight_.erase(it);
  const Target& target = *done.target;

  if (c.outcome == sink::Outcome::Delivered) {
    ++stats_.delivered;
    if (const auto* m = series(target)) {
      m->delivered->inc();
      auto now =
          std::chrono::time_point_cast<std::chrono::microseconds>(std::chrono::system_clock::now());
      m->latency->observe(std::chrono::duration<double>(now - done.committed).count());
    }
    tracker_->settle(done.txn);
    release(done);
    return;
  }
  ++stats_.failed;
  if (const auto* m = series(target)) {
    (c.outcome == sink::Outcome::Retry ? m->retry : m->failed)->inc();
  }
  if (target.holds_wal_on_failure) {
    if (c.outcome == sink::Outcome::Retry) {
      // Not settled: the slot keeps the event and the restart delivers it again.
      fail(fmt::format("{} failed: {}", target.sink->describe(), c.error));
      return;
    }
    bury(done, 1, c.error);  // the broker will never take this message as it is
    return;
  }

  switch (c.outcome) {
    case sink::Outcome::Retry: {
      if (!may_retry(target.retry, 1)) {
        bury(done, 1, c.error);
        release(done);
        return;
      }
      std::uniform_real_distribution<double> uniform(0.0, 1.0);
      park(std::move(done), 1, retry_delay(target.retry, 1, uniform(rng_), c.retry_after), c.error);
      return;
    }
    case sink::Outcome::Disabled: {
      const std::string reason = fmt::format("action disabled until restart: {}", c.error);
      if (target.gone->set(reason)) {
        spdlog::error("{} (rule {}): every later event of this action becomes a dead letter",
                      reason, target.rule);
      }
      bury(done, 1, c.error);
      release(done);  // those waiting behind become dead letters as they are routed
      return;
    }
    default:
      bury(done, 1, c.error);
      release(done);
      return;
  }
}

// The entity's delivery finished: the next event waiting behind it goes (or, when the
// entity got parked or the target disabled meanwhile, all of them are routed anew).
void Dispatcher::release(const Pending& done) {
  auto state_it = states_.find(done.target);
  if (state_it == states_.end()) return;
  TargetState& state = state_it->second;
  auto it = state.busy.find(done.ordering_key);
  if (it == state.busy.end()) return;
  if (it->second.empty()) {
    state.busy.erase(it);
    return;
  }
  if (!done.target->gone->reason().empty() || state.parked.count(done.ordering_key) != 0) {
    std::deque<Pending> waiting = std::move(it->second);
    state.busy.erase(it);
    waiting_ -= waiting.size();
    for (auto& w : waiting) route(std::move(w));
    return;
  }
  // The entry stays: the next event is now the entity's delivery in flight.
  Pending next = std::move(it->second.front());
  it->second.pop_front();
  --waiting_;
  send(std::move(next));
}

ParkedDelivery Dispatcher::parked_form(const Pending& p, int attempts,
                                       std::chrono::milliseconds delay,
                                       const std::string& error) const {
  ParkedDelivery d;
  d.event_id = p.delivery.event_id;
  d.order = OrderKey{p.target->rule, p.target->action, p.ordering_key};
  d.target = p.target->label;
  d.destination = p.delivery.destination;
  d.payload = p.delivery.payload;
  d.attempts = attempts;
  d.delay = delay;
  d.last_error = error;
  return d;
}

// Parks `first` and every event waiting behind it, in order, and settles them: from
// now on the retry worker owns them.
void Dispatcher::park(Pending first, int attempts, std::chrono::milliseconds delay,
                      const std::string& error) {
  TargetState& state = states_[first.target];
  std::vector<ParkedDelivery> rows{parked_form(first, attempts, delay, error)};
  std::vector<SettleTracker::TxnSeq> txns{first.txn};
  if (auto busy = state.busy.find(first.ordering_key); busy != state.busy.end()) {
    for (const auto& w : busy->second) {
      rows.push_back(parked_form(w, 0, 0ms, ""));
      txns.push_back(w.txn);
    }
    waiting_ -= busy->second.size();
    state.busy.erase(busy);
  }
  if (store_ == nullptr) {
    fail("a failed delivery cannot be parked: no retry store");
    return;
  }
  if (auto r = store_->park(rows); !r) {
    fail("cannot park a failed delivery in herald.retries: " + r.error().message);
    return;
  }
  state.parked.insert(first.ordering_key);
  stats_.parked += rows.size();
  if (const auto* m = series(*first.target)) m->parked->inc(rows.size());
  for (auto txn : txns) tracker_->settle(txn);
}

void Dispatcher::bury(const Pending& p, int attempts, const std::string& error) {
  if (store_ == nullptr) {
    fail(fmt::format("{} refused event {} for good ({}) and no dead-letter store is open",
                     p.target->sink->describe(), p.delivery.event_id, error));
    return;
  }
  auto dead = store_->bury_new(parked_form(p, attempts, 0ms, error));
  if (!dead) {
    fail("cannot write a dead letter: " + dead.error().message);
    return;
  }
  ++stats_.dead;
  if (const auto* m = series(*p.target)) {
    m->dead->inc();
    m->dead_letters->inc();
  }
  spdlog::warn("event {} for rule {} is a dead letter ({}): {}", p.delivery.event_id,
               p.target->rule, p.target->label, error);
  if (dead_observer_) dead_observer_(*dead);
  tracker_->settle(p.txn);
}

void Dispatcher::refresh_parked() {
  // Brokers alone park nothing: no clock read on this path, which runs per message read.
  if (store_ == nullptr || states_.empty() || Clock::now() - last_refresh_ < 1s) return;
  bool any = false;
  for (const auto& [target, state] : states_) any |= !state.parked.empty();
  last_refresh_ = Clock::now();
  if (!any) return;
  // Only this thread parks new deliveries, so a key the table no longer holds has had
  // every delivery this process parked finished: its new events may go directly again.
  if (auto r = load_parked(); !r) spdlog::warn("cannot read herald.retries: {}", r.error().message);
}

std::size_t Dispatcher::parked_entities() const {
  std::size_t n = 0;
  for (const auto& [target, state] : states_) n += state.parked.size();
  return n;
}

void Dispatcher::set_metrics(HeraldMetrics* metrics) {
  series_.clear();
  if (metrics == nullptr) return;
  auto add = [&](const Target& t) {
    const std::string action = std::to_string(t.action);
    auto outcome = [&](std::string_view o) {
      return &metrics->deliveries.with({t.rule, action, o});
    };
    series_[&t] = TargetSeries{&metrics->events_captured.with({t.rule}),
                               outcome("delivered"),
                               outcome("retry"),
                               outcome("failed"),
                               outcome("parked"),
                               outcome("dead"),
                               &metrics->dead_letters.with({t.rule, action}),
                               &metrics->delivery_latency.with({t.rule, action})};
  };
  for (const auto& targets : routing_.rule_targets) {
    for (const auto& t : targets) add(t);
  }
  for (const auto& targets : routing_.publish_targets) {
    for (const auto& t : targets) add(t);
  }
}

const Dispatcher::TargetSeries* Dispatcher::series(const Target& target) const {
  if (series_.empty()) return nullptr;
  auto it = series_.find(&target);
  return it == series_.end() ? nullptr : &it->second;
}

void Dispatcher::fail(std::string reason) {
  if (broken_reason_.empty()) broken_reason_ = std::move(reason);
}

void Dispatcher::reset(SettleTracker& tracker) {
  tracker_ = &tracker;
  backlog_.clear();
  in_flight_.clear();
  for (auto& [target, state] : states_) state.busy.clear();
  waiting_ = 0;
  broken_reason_.clear();
}

}  // namespace herald::dispatch
