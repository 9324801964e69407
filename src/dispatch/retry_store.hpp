#pragma once
// herald.retries and herald.dead_letters: the durable side of delivery. A delivery
// whose first try fails is parked here, so the slot can move past its event; the
// retry worker takes due rows (one head per rule, action and entity, so an entity's
// events keep their order), and rows whose attempts run out become dead letters.
// Every statement is safe when several herald processes share the database.

#include <chrono>
#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "common/result.hpp"
#include "pg/connection.hpp"

namespace herald::dispatch {

// (rule, action, ordering key): the unit that keeps its order.
struct OrderKey {
  std::string rule;
  int action = -1;
  std::string key;
  friend auto operator<=>(const OrderKey&, const OrderKey&) = default;
};

struct ParkedDelivery {
  std::string event_id;
  OrderKey order;
  std::string target;                  // what the action delivers to, for people (no secrets)
  std::string destination;             // subject / stream key; empty for webhooks
  std::string payload;                 // the event JSON, exactly as delivered
  int attempts = 0;                    // tries made so far
  std::chrono::milliseconds delay{0};  // until the next try
  std::string last_error;
};

struct RetryRow {
  std::int64_t id = 0;
  ParkedDelivery delivery;
  std::string first_failed_at;
};

struct DeadLetter {
  std::int64_t id = 0;
  std::string event_id;
  std::string rule;
  int action = -1;
  std::string target;
  std::string destination;
  std::string payload;
  int attempts = 0;
  std::string last_error;
  std::string first_failed_at;
  std::string dead_at;
};

class RetryStore {
 public:
  explicit RetryStore(pg::Connection& db) : db_(db) {}

  // Parks deliveries in one transaction, in the given order (ids follow it).
  Result<void> park(const std::vector<ParkedDelivery>& deliveries);

  // Every (rule, action, key) with parked deliveries.
  Result<std::set<OrderKey>> parked_keys();

  // Claims up to `limit` due rows, each the oldest of its (rule, action, key), leasing
  // them for `lease` so no other worker takes them meanwhile.
  Result<std::vector<RetryRow>> claim_due(int limit, std::chrono::milliseconds lease);

  // Gives claimed rows back at once (their lease ends now): rows a worker took but could
  // not send.
  Result<void> release(const std::vector<std::int64_t>& ids);

  Result<void> delivered(std::int64_t id);
  Result<void> reschedule(std::int64_t id, int attempts, std::chrono::milliseconds delay,
                          const std::string& error);
  // Moves a parked row to the dead letters; returns the dead letter.
  Result<DeadLetter> bury(std::int64_t id, int attempts, const std::string& error);
  // A delivery that failed for good at its first try goes straight to the dead letters.
  Result<DeadLetter> bury_new(const ParkedDelivery& delivery);

  // `herald dlq`.
  Result<std::vector<DeadLetter>> dead_letters(int limit);
  Result<std::optional<DeadLetter>> dead_letter(std::int64_t id);
  // Moves dead letters back to the retry queue with a fresh budget; returns how many.
  Result<std::int64_t> replay(const std::vector<std::int64_t>& ids);
  Result<std::int64_t> replay_all();
  // Deletes dead letters (all, or those dead before `before`, a timestamp PostgreSQL
  // understands); returns how many.
  Result<std::int64_t> purge(const std::optional<std::string>& before);

 private:
  pg::Connection& db_;
};

}  // namespace herald::dispatch
