#pragma once
// A Sink delivers encoded events to one kind of target (NATS, Redis, a webhook). It
// knows nothing of rules or the database: it gets an id, a destination and bytes, and
// reports each delivery's outcome exactly once through the CompletionQueue it was given.

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>

namespace herald::sink {

struct Delivery {
  std::uint64_t token = 0;  // chosen by the caller; echoed in the Completion
  std::string event_id;     // the dedup key: Nats-Msg-Id, Redis entry field, webhook-id
  std::string destination;  // subject / stream key; webhooks ignore it
  std::string payload;      // the event as JSON text
};

enum class Outcome {
  Delivered,
  Retry,      // try again later: broker down, timeout, 408/429/5xx, connection error
  Permanent,  // never succeeds as sent: 4xx other than 408/429/410; dead-letter now
  Disabled,   // the target said it is gone (410): dead-letter and stop using the action
};

struct Completion {
  std::uint64_t token = 0;
  Outcome outcome = Outcome::Delivered;
  std::string error;  // what went wrong, for logs and dead letters; empty when delivered
  std::optional<std::chrono::milliseconds> retry_after;  // the target asked for a pause
};

class CompletionQueue;

class Sink {
 public:
  virtual ~Sink() = default;

  // Hands a delivery over. Returns false when the sink's window of deliveries in flight
  // is full: the caller waits for completions and submits the same delivery again. A
  // const reference, so a refused delivery is intact for that retry (a by-value
  // parameter would be moved from even when refused); a sink copies what it must keep.
  virtual bool submit(const Delivery& delivery) = 0;

  // Deliveries submitted and not yet completed.
  virtual std::size_t in_flight() const = 0;

  // Whether the target is reachable as far as the sink knows (for /readyz and for
  // holding the WAL while a broker is down).
  virtual bool healthy() const = 0;

  // Human-readable name for logs and metrics, e.g. "nats" or "webhook https://…".
  virtual std::string describe() const = 0;

  // Called by the capture loop after a failed delivery ended its session, before it
  // replays from the slot, and again while the sink is unhealthy: a sink whose
  // connection may still hold unsent publishes drops that connection (those publishes
  // would land before the replay, out of commit order) and connects anew. A no-op for
  // sinks that hold nothing back.
  virtual void renew() {}
  // Gathers completions that the sink collects only when asked, on the thread that
  // submits (the NATS sink's JetStream acks, when it is set up so). A no-op for sinks
  // whose own threads report completions.
  virtual void poll() {}
  // Called by the capture loop when it starts over from the slot: what it submits next
  // may repeat deliveries already made. A no-op for sinks that assume nothing about what
  // came before.
  virtual void rewind() {}
};

}  // namespace herald::sink
