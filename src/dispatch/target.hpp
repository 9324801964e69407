#pragma once
// Where the events of one rule go: one Target per action (or one for the backend when
// the rule has no actions).

#include <string>
#include <vector>

#include "config/config.hpp"
#include "sink/sink.hpp"

namespace herald::dispatch {

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
};

// targets[i] are the targets of rule i; publish_targets[j] those of publish entry j.
struct Routing {
  std::vector<std::vector<Target>> rule_targets;
  std::vector<std::vector<Target>> publish_targets;
};

}  // namespace herald::dispatch
