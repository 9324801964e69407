#include "cli/database_setup.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <set>
#include <string_view>

#include "dispatch/herald_schema.hpp"
#include "config/suggest.hpp"
#include "pg/quote.hpp"
#include "pg/server_checks.hpp"
#include "pg/slots.hpp"

namespace herald::cli {
namespace {

std::string qualified(const config::Rule& rule) {
  return pg::qualified_name(rule.schema, rule.table);
}

// The live columns of a table, or nullopt when the table does not exist.
Result<std::optional<std::vector<std::string>>> table_columns(pg::Connection& db,
                                                              const std::string& qualified_table) {
  auto exists = db.exec_params("SELECT to_regclass($1) IS NOT NULL", {qualified_table});
  if (!exists) return Error{exists.error().message};
  if (exists->get(0, 0) != "t") return std::optional<std::vector<std::string>>();
  auto cols = db.exec_params(
      "SELECT attname FROM pg_attribute WHERE attrelid = to_regclass($1) AND attnum > 0 "
      "AND NOT attisdropped ORDER BY attnum",
      {qualified_table});
  if (!cols) return Error{cols.error().message};
  std::vector<std::string> names;
  for (int r = 0; r < cols->rows(); ++r) names.emplace_back(cols->get(r, 0));
  return std::optional<std::vector<std::string>>(std::move(names));
}

std::string no_such_column(const std::string& column, const config::Rule& rule,
                           const std::vector<std::string>& columns) {
  std::vector<std::string_view> candidates(columns.begin(), columns.end());
  std::string message =
      fmt::format("table {}.{} has no column '{}'", rule.schema, rule.table, column);
  if (auto close = config::closest_match(column, candidates)) {
    message += fmt::format("; did you mean '{}'?", *close);
  }
  return message;
}

config::SourcePos offset_in(const config::SourcePos& start, std::size_t offset) {
  config::SourcePos pos = start;
  pos.column += static_cast<int>(offset);
  return pos;
}

Result<std::set<std::string>> published_tables(pg::Connection& db, const std::string& publication) {
  auto r = db.exec_params(
      "SELECT format('%I.%I', schemaname, tablename) FROM pg_publication_tables WHERE pubname = $1",
      {publication});
  if (!r) return Error{r.error().message};
  std::set<std::string> out;
  for (int i = 0; i < r->rows(); ++i) out.emplace(r->get(i, 0));
  return out;
}

Result<void> exec_reporting(pg::Connection& db, const std::string& sql, SetupReport& report,
                            std::string change) {
  auto r = db.exec(sql);
  if (!r) return Error{r.error().message};
  report.changes.push_back(std::move(change));
  return {};
}

Result<void> ensure_publication(pg::Connection& db, const config::Observers& obs,
                                const event::RuleSet& rules, SetupReport& report) {
  std::set<std::string> wanted;
  for (const auto& r : rules.rules()) wanted.insert(qualified(*r.config));

  auto exists =
      db.exec_params("SELECT 1 FROM pg_publication WHERE pubname = $1", {obs.publication});
  if (!exists) return Error{exists.error().message};
  const std::string pub = pg::quote_ident(obs.publication);
  if (exists->rows() == 0) {
    std::string tables;
    for (const auto& t : wanted) tables += (tables.empty() ? "" : ", ") + t;
    std::string sql = wanted.empty()
                          ? fmt::format("CREATE PUBLICATION {}", pub)
                          : fmt::format("CREATE PUBLICATION {} FOR TABLE {}", pub, tables);
    return exec_reporting(db, sql, report,
                          fmt::format("created publication {} for {}", obs.publication,
                                      wanted.empty() ? "no tables" : tables));
  }
  auto current = published_tables(db, obs.publication);
  if (!current) return current.error();
  for (const auto& t : wanted) {
    if (current->count(t) != 0) continue;
    auto r = exec_reporting(db, fmt::format("ALTER PUBLICATION {} ADD TABLE {}", pub, t), report,
                            fmt::format("added {} to publication {}", t, obs.publication));
    if (!r) return r;
  }
  for (const auto& t : *current) {
    if (wanted.count(t) != 0) continue;
    auto r = exec_reporting(
        db, fmt::format("ALTER PUBLICATION {} DROP TABLE {}", pub, t), report,
        fmt::format("removed {} from publication {} (no rule observes it)", t, obs.publication));
    if (!r) return r;
  }
  return {};
}

Result<void> ensure_replica_identity(pg::Connection& db, const event::RuleSet& rules,
                                     SetupReport& report) {
  for (const std::string& table : rules.tables_needing_old_rows()) {
    // tables_needing_old_rows() names tables "schema.table" unquoted; find the rule's
    // quoted form for SQL.
    const config::Rule* rule = nullptr;
    for (const auto& r : rules.rules()) {
      if (r.qualified_table == table) rule = r.config;
    }
    if (rule == nullptr) continue;
    const std::string name = qualified(*rule);
    auto ident =
        db.exec_params("SELECT relreplident FROM pg_class WHERE oid = to_regclass($1)", {name});
    if (!ident) return Error{ident.error().message};
    if (ident->rows() == 0 || ident->get(0, 0) == "f") continue;
    auto r = exec_reporting(
        db, fmt::format("ALTER TABLE {} REPLICA IDENTITY FULL", name), report,
        fmt::format("set REPLICA IDENTITY FULL on {} (its rules need old rows)", name));
    if (!r) return r;
  }
  return {};
}

}  // namespace

Result<SetupProblems> check_database(pg::Connection& db, const event::RuleSet& rules) {
  if (auto r = pg::check_wal_level(db); !r) return Error{r.error().message};
  if (auto r = pg::check_replication_role(db); !r) return Error{r.error().message};

  SetupProblems problems;
  for (const auto& compiled : rules.rules()) {
    const config::Rule& rule = *compiled.config;
    auto columns = table_columns(db, qualified(rule));
    if (!columns) return columns.error();
    if (!columns->has_value()) {
      problems.errors.push_back({rule.pos, fmt::format("table {}.{} does not exist in the database",
                                                       rule.schema, rule.table)});
      continue;
    }
    const auto& names = **columns;
    auto has = [&](const std::string& c) {
      return std::find(names.begin(), names.end(), c) != names.end();
    };
    for (const auto& c : rule.changed) {
      if (!has(c))
        problems.errors.push_back({rule.changed_pos, "changed: " + no_such_column(c, rule, names)});
    }
    if (compiled.condition) {
      for (const auto& ref : compiled.condition->columns()) {
        if (!has(ref.name)) {
          problems.errors.push_back({offset_in(rule.condition_pos, ref.offset),
                                     "condition: " + no_such_column(ref.name, rule, names)});
        }
      }
    }
  }
  return problems;
}

Result<SetupReport> ensure_database_objects(pg::Connection& db, const config::Config& config,
                                            const event::RuleSet& rules) {
  SetupReport report;
  const config::Observers& obs = config.observers;

  auto had_schema = db.exec("SELECT 1 FROM pg_namespace WHERE nspname = 'herald'");
  if (!had_schema) return Error{had_schema.error().message};
  if (auto r = db.exec(dispatch::kHeraldSchemaSql); !r) return Error{r.error().message};
  if (had_schema->rows() == 0) {
    report.changes.push_back("created schema herald (retries, dead_letters, inbox)");
  }

  if (auto r = ensure_publication(db, obs, rules, report); !r) return r.error();
  if (auto r = ensure_replica_identity(db, rules, report); !r) return r.error();

  auto slot = pg::find_slot(db, obs.slot);
  if (!slot) return Error{slot.error().message};
  if (!slot->has_value()) {
    auto created = pg::create_logical_slot(db, obs.slot);
    if (!created) return Error{created.error().message};
    report.changes.push_back(fmt::format("created logical replication slot {} (pgoutput) at {}",
                                         obs.slot, created->to_string()));
  } else if ((*slot)->plugin != "pgoutput") {
    return Error{
        fmt::format("replication slot {} exists but uses plugin {}; herald needs pgoutput "
                    "(drop it or set [observers] slot to another name)",
                    obs.slot, (*slot)->plugin)};
  }
  return report;
}

Result<SetupReport> drop_capture_objects(pg::Connection& db, const config::Observers& obs) {
  SetupReport report;
  auto slot = pg::find_slot(db, obs.slot);
  if (!slot) return Error{slot.error().message};
  if (slot->has_value()) {
    if ((*slot)->active) {
      return Error{fmt::format("replication slot {} is in use by process {}: stop herald run first",
                               obs.slot, (*slot)->active_pid.value_or(0))};
    }
    if (auto r = pg::drop_slot(db, obs.slot); !r) return Error{r.error().message};
    report.changes.push_back(
        fmt::format("dropped replication slot {} (WAL is no longer retained for it)", obs.slot));
  }
  auto pub = db.exec_params("SELECT 1 FROM pg_publication WHERE pubname = $1", {obs.publication});
  if (!pub) return Error{pub.error().message};
  if (pub->rows() != 0) {
    auto r = exec_reporting(db, "DROP PUBLICATION " + pg::quote_ident(obs.publication), report,
                            fmt::format("dropped publication {}", obs.publication));
    if (!r) return r.error();
  }
  return report;
}

Result<void> load_primary_keys(pg::Connection& db, event::RuleSet& rules) {
  for (const auto& compiled : rules.rules()) {
    auto r = db.exec_params(
        "SELECT a.attname FROM pg_index i "
        "JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey) "
        "WHERE i.indrelid = to_regclass($1) AND i.indisprimary "
        "ORDER BY array_position(i.indkey::int2[], a.attnum)",
        {qualified(*compiled.config)});
    if (!r) return Error{r.error().message};
    std::vector<std::string> key;
    for (int i = 0; i < r->rows(); ++i) key.emplace_back(r->get(i, 0));
    if (!key.empty()) rules.set_primary_key(compiled.qualified_table, std::move(key));
  }
  return {};
}

}  // namespace herald::cli
