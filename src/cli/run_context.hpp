#pragma once
// What every database-facing command starts with: the config loaded and checked, the
// rules compiled, a connection to the database. Problems are printed here, located,
// and turned into the exit code the command returns.

#include <optional>
#include <string>

#include "config/config.hpp"
#include "event/rule_set.hpp"
#include "pg/connection.hpp"

namespace herald::cli {

struct Loaded {
  config::Config config;
  std::optional<event::RuleSet> rules;  // always set when loading succeeded
};

// Loads and compiles; on failure prints every error and returns the exit code.
std::variant<Loaded, int> load_config_and_rules(const std::string& path);

// Connects to the configured database; on failure prints why and returns the exit code.
std::variant<pg::Connection, int> connect_database(const config::Config& config);

}  // namespace herald::cli
