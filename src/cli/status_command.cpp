#include "cli/status_command.hpp"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "cli/app.hpp"
#include "cli/run_context.hpp"

namespace herald::cli {
namespace {

using json = nlohmann::json;

std::string bytes_text(std::int64_t bytes) {
  if (bytes < 1024) return fmt::format("{} B", bytes);
  if (bytes < 1024 * 1024) return fmt::format("{:.1f} kB", static_cast<double>(bytes) / 1024);
  if (bytes < 1024LL * 1024 * 1024)
    return fmt::format("{:.1f} MB", static_cast<double>(bytes) / (1024 * 1024));
  return fmt::format("{:.2f} GB", static_cast<double>(bytes) / (1024.0 * 1024 * 1024));
}

json optional_number(std::optional<std::string_view> text, bool floating) {
  if (!text) return nullptr;
  std::string s(*text);
  return floating ? json(std::stod(s)) : json(std::stoll(s));
}

// One query gathers the slot, its walsender and the lag PostgreSQL measures.
constexpr const char* kSlotSql = R"sql(
SELECT s.active, s.active_pid, s.confirmed_flush_lsn::text, pg_current_wal_lsn()::text,
       pg_wal_lsn_diff(pg_current_wal_lsn(), s.confirmed_flush_lsn)::bigint,
       extract(epoch FROM r.flush_lag)::float8, s.wal_status
FROM pg_replication_slots s
LEFT JOIN pg_stat_replication r ON r.pid = s.active_pid
WHERE s.slot_name = $1
)sql";

constexpr const char* kQueueSql = R"sql(
SELECT (SELECT count(*) FROM herald.retries),
       (SELECT min(next_attempt_at)::text FROM herald.retries),
       (SELECT count(*) FROM herald.dead_letters),
       (SELECT max(dead_at)::text FROM herald.dead_letters)
WHERE to_regclass('herald.retries') IS NOT NULL
)sql";

}  // namespace

int status_command(const std::string& config_path, bool as_json) {
  auto loaded = load_config_and_rules(config_path);
  if (auto* code = std::get_if<int>(&loaded)) return *code;
  const auto& l = std::get<Loaded>(loaded);
  auto db_or = connect_database(l.config);
  if (auto* code = std::get_if<int>(&db_or)) return *code;
  auto& db = std::get<pg::Connection>(db_or);
  const auto& obs = l.config.observers;

  json out;
  auto slot = db.exec_params(kSlotSql, {obs.slot});
  auto queue = db.exec(kQueueSql);
  auto pub = db.exec_params("SELECT count(*) FROM pg_publication_tables WHERE pubname = $1",
                            {obs.publication});
  if (!slot || !queue || !pub) {
    fmt::print(stderr, "herald: {}\n",
               !slot    ? slot.error().message
               : !queue ? queue.error().message
                        : pub.error().message);
    return kUnreachable;
  }

  json s = {{"name", obs.slot}, {"exists", slot->rows() > 0}};
  if (slot->rows() > 0) {
    s["active"] = slot->get(0, 0) == "t";
    s["active_pid"] = optional_number(slot->get_optional(0, 1), false);
    s["confirmed_lsn"] = std::string(slot->get(0, 2));
    s["current_wal_lsn"] = std::string(slot->get(0, 3));
    s["lag_bytes"] = optional_number(slot->get_optional(0, 4), false);
    s["lag_seconds"] = optional_number(slot->get_optional(0, 5), true);
    s["wal_status"] = std::string(slot->get(0, 6));
  }
  out["slot"] = s;
  out["publication"] = {{"name", obs.publication},
                        {"tables", std::stoll(std::string(pub->get(0, 0)))}};
  if (queue->rows() > 0) {
    out["retries"] = {
        {"pending", std::stoll(std::string(queue->get(0, 0)))},
        {"next_due", queue->is_null(0, 1) ? json(nullptr) : json(std::string(queue->get(0, 1)))}};
    out["dead_letters"] = {
        {"count", std::stoll(std::string(queue->get(0, 2)))},
        {"latest", queue->is_null(0, 3) ? json(nullptr) : json(std::string(queue->get(0, 3)))}};
  } else {
    out["retries"] = nullptr;
    out["dead_letters"] = nullptr;
  }
  json consumers = json::array();
  for (const auto& sub : obs.subscribe) {
    consumers.push_back(
        {{"durable", sub.durable}, {"subject", sub.subject}, {"handler", sub.handler}});
  }
  out["consumers"] = consumers;

  if (as_json) {
    fmt::print("{}\n", out.dump(2));
    return kOk;
  }

  if (!s["exists"].get<bool>()) {
    fmt::print("slot          {}: does not exist (run herald setup)\n", obs.slot);
  } else {
    std::string who =
        s["active"].get<bool>()
            ? fmt::format("active, herald pid {}", s["active_pid"].get<std::int64_t>())
            : std::string("inactive: herald is not running, WAL is retained");
    fmt::print("slot          {}: {}\n", obs.slot, who);
    fmt::print("confirmed     {} (server at {})\n", s["confirmed_lsn"].get<std::string>(),
               s["current_wal_lsn"].get<std::string>());
    std::string seconds = s["lag_seconds"].is_null()
                              ? std::string("unknown while herald is not running")
                              : fmt::format("{:.3f} s", s["lag_seconds"].get<double>());
    fmt::print("lag           {} behind, {}\n",
               bytes_text(s["lag_bytes"].is_null() ? 0 : s["lag_bytes"].get<std::int64_t>()),
               seconds);
  }
  fmt::print("publication   {}: {} table(s)\n", obs.publication,
             out["publication"]["tables"].get<long long>());
  if (out["retries"].is_null()) {
    fmt::print("retries       schema herald does not exist (run herald setup)\n");
  } else {
    fmt::print("retries       {} pending{}\n", out["retries"]["pending"].get<long long>(),
               out["retries"]["next_due"].is_null()
                   ? ""
                   : fmt::format(", next due {}", out["retries"]["next_due"].get<std::string>()));
    fmt::print("dead letters  {}{}\n", out["dead_letters"]["count"].get<long long>(),
               out["dead_letters"]["latest"].is_null()
                   ? ""
                   : fmt::format(", latest {}", out["dead_letters"]["latest"].get<std::string>()));
  }
  for (const auto& sub : obs.subscribe) {
    fmt::print("consumer      {} on {} -> {}(jsonb)\n", sub.durable, sub.subject, sub.handler);
  }
  return kOk;
}

}  // namespace herald::cli
