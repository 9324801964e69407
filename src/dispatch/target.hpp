#pragma once
// Where the events of one rule go: one Target per action (or one for the backend when
// the rule has no actions).

#include <atomic>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "config/config.hpp"
#include "sink/sink.hpp"

namespace herald::dispatch {

// Set once a target says it is gone (HTTP 410): from then on every delivery to it becomes
// a dead letter without a try, until restart. The dispatcher and the retry worker send on
// their own threads and share one switch per target, so whichever hears the 410 first
// stops both.
class GoneSwitch {
 public:
  // True for the first call (the caller says so loudly); later calls keep the first reason.
  bool set(const std::string& reason) {
    const std::lock_guard lock(mutex_);
    if (gone_.load()) return false;
    reason_ = reason;
    gone_.store(true);
    return true;
  }
  // Empty while the target is in use.
  std::string reason() const {
    if (!gone_.load()) return {};
    const std::lock_guard lock(mutex_);
    return reason_;
  }

 private:
  std::atomic<bool> gone_{false};
  mutable std::mutex mutex_;
  std::string reason_;
};

struct Target {
  sink::Sink* sink = nullptr;
  std::string rule;   // the rule's name (or "publish:<mutation>")
  int action = -1;    // index in the rule's actions; -1 = the backend
  std::string label;  // what it delivers to, for people and dead letters; no secrets
  // The subject or stream key; empty = the event's own subject.
  std::string destination;
  config::RetryPolicy retry;
  // Brokers (NATS, Redis streams) hold the WAL while they are down: the slot keeps every
  // event and the capture restarts from it. Other targets (webhooks) park a failed
  // delivery in herald.retries so the slot can move on, and keep each entity's order.
  bool holds_wal_on_failure = true;
  // Shared by the copies of this target (the dispatcher's and the retry worker's view).
  std::shared_ptr<GoneSwitch> gone = std::make_shared<GoneSwitch>();
};

// targets[i] are the targets of rule i; publish_targets[j] those of publish entry j.
struct Routing {
  std::vector<std::vector<Target>> rule_targets;
  std::vector<std::vector<Target>> publish_targets;
};

}  // namespace herald::dispatch
