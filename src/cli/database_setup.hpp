#pragma once
// What `herald setup` and `herald run` make sure of in the database: the server can do
// logical replication, the observed tables and columns exist, schema `herald` with its
// tables, the publication for exactly the observed tables, the slot, and REPLICA
// IDENTITY FULL where rules need old rows. Every step says what it changed.

#include <string>
#include <vector>

#include "common/result.hpp"
#include "config/config.hpp"
#include "config/loader.hpp"
#include "event/rule_set.hpp"
#include "pg/connection.hpp"

namespace herald::cli {

struct SetupReport {
  std::vector<std::string> changes;  // "created publication herald", ...
};

// Problems a user fixes in fraiseql.toml or the database; located like config errors.
struct SetupProblems {
  std::vector<config::ConfigError> errors;
};

// Checks the server (wal_level, role) and the tables and columns the rules name.
// Returns the located problems; a failing query is an Error.
Result<SetupProblems> check_database(pg::Connection& db, const event::RuleSet& rules);

// Creates or updates herald's objects. Idempotent: a second call changes nothing.
Result<SetupReport> ensure_database_objects(pg::Connection& db, const config::Config& config,
                                            const event::RuleSet& rules);

// Drops the slot and the publication (schema herald and its tables stay).
Result<SetupReport> drop_capture_objects(pg::Connection& db, const config::Observers& observers);

// Tells the rule set each observed table's primary key.
Result<void> load_primary_keys(pg::Connection& db, event::RuleSet& rules);

}  // namespace herald::cli
