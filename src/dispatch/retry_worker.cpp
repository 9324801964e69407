#include "dispatch/retry_worker.hpp"

#include <poll.h>
#include <spdlog/spdlog.h>

#include "dispatch/commit_time.hpp"
#include "dispatch/retry_schedule.hpp"
#include "pg/connection.hpp"

namespace herald::dispatch {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

void wait_readable(int fd, std::chrono::milliseconds timeout) {
  pollfd p{fd, POLLIN, 0};
  ::poll(&p, 1, static_cast<int>(timeout.count()));
}

}  // namespace

RetryWorker::RetryWorker(Settings settings, std::vector<const Target*> targets,
                         SinkFactory make_sink, DeadLetterObserver on_dead)
    : settings_(std::move(settings)),
      targets_(std::move(targets)),
      make_sink_(std::move(make_sink)),
      on_dead_(std::move(on_dead)) {}

RetryWorker::~RetryWorker() {
  stop(0ms);
}

void RetryWorker::start() {
  if (thread_.joinable()) return;
  stopping_ = false;
  thread_ = std::thread([this] { run(); });
}

void RetryWorker::stop(std::chrono::milliseconds grace) {
  if (!thread_.joinable()) return;
  grace_ = grace;
  stopping_ = true;
  thread_.join();
}

RetryWorker::Lane* RetryWorker::lane_for(const OrderKey& key) {
  auto found = lanes_.find({key.rule, key.action});
  if (found != lanes_.end()) return &found->second;
  for (const Target* t : targets_) {
    if (t->rule != key.rule || t->action != key.action) continue;
    auto made = make_sink_(*t, completions_);
    if (!made) {
      spdlog::warn("retry worker cannot open {} for rule {}: {}", t->label, t->rule,
                   made.error().message);
      return nullptr;
    }
    Lane lane;
    lane.target = t;
    lane.sink = std::move(*made);
    return &lanes_.emplace(std::make_pair(key.rule, key.action), std::move(lane)).first->second;
  }
  return nullptr;
}

void RetryWorker::count(const OrderKey& key, const char* outcome) {
  if (metrics_ == nullptr) return;
  metrics_->deliveries.with({key.rule, std::to_string(key.action), outcome}).inc();
}

void RetryWorker::observe_latency(const RetryRow& row) {
  if (metrics_ == nullptr) return;
  const auto committed = event_commit_time(row.delivery.payload);
  if (!committed) return;
  const std::chrono::duration<double> latency = std::chrono::system_clock::now() - *committed;
  metrics_->delivery_latency
      .with({row.delivery.order.rule, std::to_string(row.delivery.order.action)})
      .observe(latency.count());
}

void RetryWorker::bury(RetryStore& store, const RetryRow& row, int attempts,
                       const std::string& error) {
  auto dead = store.bury(row.id, attempts, error);
  if (!dead) {
    spdlog::warn("cannot dead-letter retry {}: {}", row.id, dead.error().message);
    return;  // the lease runs out and the row is tried again
  }
  ++dead_;
  count(row.delivery.order, "dead");
  if (metrics_ != nullptr) {
    metrics_->dead_letters
        .with({row.delivery.order.rule, std::to_string(row.delivery.order.action)})
        .inc();
  }
  spdlog::warn("event {} for rule {} is a dead letter after {} attempt(s): {}",
               row.delivery.event_id, row.delivery.order.rule, attempts, error);
  if (on_dead_) on_dead_(*dead);
}

void RetryWorker::settle_completions(RetryStore& store) {
  drained_.clear();
  completions_.drain(drained_);
  for (const auto& c : drained_) {
    auto it = in_flight_.find(c.token);
    if (it == in_flight_.end()) continue;
    Claimed claimed = std::move(it->second);
    in_flight_.erase(it);
    const RetryRow& row = claimed.row;
    const Target& target = *claimed.lane->target;
    const int attempts = row.delivery.attempts + 1;
    Result<void> done;
    switch (c.outcome) {
      case sink::Outcome::Delivered:
        done = store.delivered(row.id);
        if (done) ++delivered_;
        count(row.delivery.order, "delivered");
        observe_latency(row);
        break;
      case sink::Outcome::Retry:
        count(row.delivery.order, "retry");
        if (may_retry(target.retry, attempts)) {
          std::uniform_real_distribution<double> uniform(0.0, 1.0);
          done = store.reschedule(row.id, attempts,
                                  retry_delay(target.retry, attempts, uniform(rng_), c.retry_after),
                                  c.error);
        } else {
          bury(store, row, attempts, c.error);
        }
        break;
      case sink::Outcome::Disabled:
        count(row.delivery.order, "failed");
        if (target.gone->set("action disabled until restart: " + c.error)) {
          spdlog::error(
              "action disabled until restart: {} (rule {}): every later event of this action "
              "becomes a dead letter",
              c.error, target.rule);
        }
        bury(store, row, attempts, c.error);
        break;
      case sink::Outcome::Permanent:
        count(row.delivery.order, "failed");
        bury(store, row, attempts, c.error);
        break;
    }
    if (!done)
      spdlog::warn("cannot record the outcome of retry {}: {}", row.id, done.error().message);
  }
}

// One round: settle what completed, claim what is due. Returns false when the
// connection needs to be opened again.
bool RetryWorker::step(RetryStore& store) {
  settle_completions(store);
  if (stopping_) return true;
  auto claimed = store.claim_due(settings_.batch, settings_.lease);
  if (!claimed) {
    spdlog::warn("retry worker: {}", claimed.error().message);
    return false;
  }
  std::vector<std::int64_t> refused;
  for (auto& row : *claimed) {
    Lane* lane = lane_for(row.delivery.order);
    if (lane == nullptr) {
      bury(store, row, row.delivery.attempts,
           "no such action in the configuration any more (rule " + row.delivery.order.rule + ")");
      continue;
    }
    if (const std::string gone = lane->target->gone->reason(); !gone.empty()) {
      bury(store, row, row.delivery.attempts, gone);
      continue;
    }
    sink::Delivery d;
    d.token = next_token_++;
    d.event_id = row.delivery.event_id;
    d.destination = row.delivery.destination;
    d.payload = row.delivery.payload;
    if (!lane->sink->submit(std::move(d))) {
      refused.push_back(row.id);  // the window is full: back to the queue for the next round
      continue;
    }
    in_flight_.emplace(next_token_ - 1, Claimed{std::move(row), lane});
  }
  // Released at once: left leased, they would wait out the lease (a minute) although the
  // window frees up within a round trip.
  if (auto released = store.release(refused); !released) {
    spdlog::warn("retry worker: {}", released.error().message);
  }
  return true;
}

void RetryWorker::run() {
  std::optional<pg::Connection> db;
  while (true) {
    if (stopping_) {
      if (in_flight_.empty() || !db) break;
      auto deadline = Clock::now() + grace_;
      RetryStore store(*db);
      while (!in_flight_.empty() && Clock::now() < deadline) {
        wait_readable(completions_.wake_fd(), 50ms);
        settle_completions(store);
      }
      break;
    }
    if (!db || !db->is_ok()) {
      auto connected = pg::Connection::connect(settings_.conninfo);
      if (!connected) {
        spdlog::warn("retry worker: {}", connected.error().message);
        for (int i = 0; i < 20 && !stopping_; ++i) std::this_thread::sleep_for(100ms);
        continue;
      }
      db.emplace(std::move(*connected));
    }
    RetryStore store(*db);
    if (!step(store)) db.reset();
    wait_readable(completions_.wake_fd(), settings_.poll_interval);
  }
  lanes_.clear();  // closes the worker's sinks
}

}  // namespace herald::dispatch
