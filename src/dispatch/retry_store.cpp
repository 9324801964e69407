#include "dispatch/retry_store.hpp"

#include <fmt/format.h>

#include "pg/transaction.hpp"

namespace herald::dispatch {
namespace {

// Row ids as a bigint[] literal, "{1,2,3}", for `= ANY($1::bigint[])`.
std::string id_array(const std::vector<std::int64_t>& ids) {
  std::string list = "{";
  for (std::size_t i = 0; i < ids.size(); ++i) {
    if (i > 0) list += ',';
    list += std::to_string(ids[i]);
  }
  list += '}';
  return list;
}

Error sql_error(const pg::Error& e) {
  return Error{e.message};
}

std::string ms_text(std::chrono::milliseconds d) {
  return std::to_string(d.count());
}

constexpr const char* kDeadLetterColumns =
    "id, event_id, rule, action, target, destination, payload, attempts, last_error, "
    "first_failed_at::text, dead_at::text";

DeadLetter dead_letter_at(const pg::QueryResult& r, int row) {
  DeadLetter d;
  d.id = std::stoll(std::string(r.get(row, 0)));
  d.event_id = r.get(row, 1);
  d.rule = r.get(row, 2);
  d.action = std::stoi(std::string(r.get(row, 3)));
  d.target = r.get(row, 4);
  d.destination = r.get(row, 5);
  d.payload = r.get(row, 6);
  d.attempts = std::stoi(std::string(r.get(row, 7)));
  d.last_error = r.get(row, 8);
  d.first_failed_at = r.get(row, 9);
  d.dead_at = r.get(row, 10);
  return d;
}

}  // namespace

Result<void> RetryStore::park(const std::vector<ParkedDelivery>& deliveries) {
  if (deliveries.empty()) return {};
  auto txn = pg::Transaction::begin(db_);
  if (!txn) return sql_error(txn.error());
  for (const auto& d : deliveries) {
    auto r = db_.exec_params(
        "INSERT INTO herald.retries (event_id, rule, action, target, ordering_key, destination, "
        "payload, attempts, next_attempt_at, last_error) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, "
        "now() + $9::bigint * interval '1 millisecond', $10) "
        "ON CONFLICT (event_id, rule, action) DO NOTHING",
        {d.event_id, d.order.rule, std::to_string(d.order.action), d.target, d.order.key,
         d.destination, d.payload, std::to_string(d.attempts), ms_text(d.delay), d.last_error});
    if (!r) return sql_error(r.error());
  }
  if (auto c = txn->commit(); !c) return sql_error(c.error());
  return {};
}

Result<std::set<OrderKey>> RetryStore::parked_keys() {
  auto r = db_.exec("SELECT DISTINCT rule, action, ordering_key FROM herald.retries");
  if (!r) return sql_error(r.error());
  std::set<OrderKey> keys;
  for (int i = 0; i < r->rows(); ++i) {
    keys.insert(OrderKey{std::string(r->get(i, 0)), std::stoi(std::string(r->get(i, 1))),
                         std::string(r->get(i, 2))});
  }
  return keys;
}

Result<std::vector<RetryRow>> RetryStore::claim_due(int limit, std::chrono::milliseconds lease) {
  // The head of each (rule, action, key) is its lowest id: rows are parked in commit
  // order. Only a due head may go whose lease ended or whose leaseholder's session is gone
  // (a crashed herald: its rows need not wait out the lease); SKIP LOCKED keeps two
  // workers apart.
  auto r = db_.exec_params(
      "WITH heads AS ("
      "  SELECT DISTINCT ON (rule, action, ordering_key) id FROM herald.retries"
      "  ORDER BY rule, action, ordering_key, id),"
      " due AS ("
      "  SELECT r.id FROM herald.retries r JOIN heads h ON h.id = r.id"
      "  WHERE r.next_attempt_at <= now() AND (r.locked_until IS NULL OR r.locked_until < now()"
      "   OR NOT EXISTS (SELECT 1 FROM pg_stat_activity a WHERE a.pid = r.locked_by))"
      "  ORDER BY r.next_attempt_at LIMIT $1 FOR UPDATE OF r SKIP LOCKED)"
      " UPDATE herald.retries t SET locked_until = now() + $2::bigint * interval '1 millisecond',"
      " locked_by = pg_backend_pid()"
      " FROM due WHERE t.id = due.id"
      " RETURNING t.id, t.event_id, t.rule, t.action, t.target, t.ordering_key, t.destination,"
      " t.payload, t.attempts, t.last_error, t.first_failed_at::text",
      {std::to_string(limit), ms_text(lease)});
  if (!r) return sql_error(r.error());
  std::vector<RetryRow> rows;
  for (int i = 0; i < r->rows(); ++i) {
    RetryRow row;
    row.id = std::stoll(std::string(r->get(i, 0)));
    row.delivery.event_id = r->get(i, 1);
    row.delivery.order = OrderKey{std::string(r->get(i, 2)), std::stoi(std::string(r->get(i, 3))),
                                  std::string(r->get(i, 5))};
    row.delivery.target = r->get(i, 4);
    row.delivery.destination = r->get(i, 6);
    row.delivery.payload = r->get(i, 7);
    row.delivery.attempts = std::stoi(std::string(r->get(i, 8)));
    row.delivery.last_error = r->get(i, 9);
    row.first_failed_at = r->get(i, 10);
    rows.push_back(std::move(row));
  }
  return rows;
}

Result<void> RetryStore::release(const std::vector<std::int64_t>& ids) {
  if (ids.empty()) return {};
  const std::string list = id_array(ids);
  auto r = db_.exec_params(
      "UPDATE herald.retries SET locked_until = NULL, locked_by = NULL "
      "WHERE id = ANY($1::bigint[]) AND locked_by = pg_backend_pid()",
      {list});
  if (!r) return sql_error(r.error());
  return {};
}

Result<void> RetryStore::delivered(std::int64_t id) {
  auto r = db_.exec_params("DELETE FROM herald.retries WHERE id = $1", {std::to_string(id)});
  if (!r) return sql_error(r.error());
  return {};
}

Result<void> RetryStore::reschedule(std::int64_t id, int attempts, std::chrono::milliseconds delay,
                                    const std::string& error) {
  auto r = db_.exec_params(
      "UPDATE herald.retries SET attempts = $2, last_error = $3, locked_until = NULL, "
      "locked_by = NULL, "
      "next_attempt_at = now() + $4::bigint * interval '1 millisecond' WHERE id = $1",
      {std::to_string(id), std::to_string(attempts), error, ms_text(delay)});
  if (!r) return sql_error(r.error());
  return {};
}

Result<DeadLetter> RetryStore::bury(std::int64_t id, int attempts, const std::string& error) {
  auto r = db_.exec_params(
      fmt::format(
          "WITH gone AS (DELETE FROM herald.retries WHERE id = $1 RETURNING *) "
          "INSERT INTO herald.dead_letters (event_id, rule, action, target, destination, "
          "event, payload, attempts, last_error, first_failed_at) "
          "SELECT event_id, rule, action, target, destination, payload::jsonb, payload, $2, "
          "$3, first_failed_at FROM gone RETURNING {}",
          kDeadLetterColumns),
      {std::to_string(id), std::to_string(attempts), error});
  if (!r) return sql_error(r.error());
  if (r->rows() == 0) return Error{fmt::format("retry {} is gone (another herald took it)", id)};
  return dead_letter_at(*r, 0);
}

Result<DeadLetter> RetryStore::bury_new(const ParkedDelivery& d) {
  auto r = db_.exec_params(
      fmt::format("INSERT INTO herald.dead_letters (event_id, rule, action, target, destination, "
                  "event, payload, attempts, last_error, first_failed_at) "
                  "VALUES ($1, $2, $3, $4, $5, $6::jsonb, $6, $7, $8, now()) RETURNING {}",
                  kDeadLetterColumns),
      {d.event_id, d.order.rule, std::to_string(d.order.action), d.target, d.destination, d.payload,
       std::to_string(d.attempts), d.last_error});
  if (!r) return sql_error(r.error());
  return dead_letter_at(*r, 0);
}

Result<std::vector<DeadLetter>> RetryStore::dead_letters(int limit) {
  auto r = db_.exec_params(
      fmt::format("SELECT {} FROM herald.dead_letters ORDER BY id LIMIT $1", kDeadLetterColumns),
      {std::to_string(limit)});
  if (!r) return sql_error(r.error());
  std::vector<DeadLetter> out;
  for (int i = 0; i < r->rows(); ++i) out.push_back(dead_letter_at(*r, i));
  return out;
}

Result<std::optional<DeadLetter>> RetryStore::dead_letter(std::int64_t id) {
  auto r = db_.exec_params(
      fmt::format("SELECT {} FROM herald.dead_letters WHERE id = $1", kDeadLetterColumns),
      {std::to_string(id)});
  if (!r) return sql_error(r.error());
  if (r->rows() == 0) return std::optional<DeadLetter>();
  return std::optional<DeadLetter>(dead_letter_at(*r, 0));
}

namespace {
// Back to the queue with attempts = 0 and due now. ordering_key is not kept in
// dead_letters: the event id keeps replays of one event apart, which is all a replay
// needs to keep its own order.
constexpr const char* kReplaySql =
    "WITH back AS (DELETE FROM herald.dead_letters WHERE {} RETURNING *) "
    "INSERT INTO herald.retries (event_id, rule, action, target, ordering_key, destination, "
    "payload, attempts, next_attempt_at, last_error) "
    "SELECT event_id, rule, action, target, 'replay:' || event_id, destination, payload, 0, now(), "
    "'replayed from dead letter ' || id FROM back ORDER BY id "
    "ON CONFLICT (event_id, rule, action) DO NOTHING";
}  // namespace

Result<std::int64_t> RetryStore::replay(const std::vector<std::int64_t>& ids) {
  const std::string list = id_array(ids);
  auto r = db_.exec_params(fmt::format(kReplaySql, "id = ANY($1::bigint[])"), {list});
  if (!r) return sql_error(r.error());
  return static_cast<std::int64_t>(r->affected_rows());
}

Result<std::int64_t> RetryStore::replay_all() {
  auto r = db_.exec(fmt::format(kReplaySql, "true"));
  if (!r) return sql_error(r.error());
  return static_cast<std::int64_t>(r->affected_rows());
}

Result<std::int64_t> RetryStore::purge(const std::optional<std::string>& before) {
  auto r = before
               ? db_.exec_params("DELETE FROM herald.dead_letters WHERE dead_at < $1::timestamptz",
                                 {*before})
               : db_.exec("DELETE FROM herald.dead_letters");
  if (!r) return sql_error(r.error());
  return static_cast<std::int64_t>(r->affected_rows());
}

}  // namespace herald::dispatch
