#include "cli/run_context.hpp"

#include <fmt/format.h>

#include "cli/app.hpp"
#include "config/loader.hpp"

namespace herald::cli {

std::variant<Loaded, int> load_config_and_rules(const std::string& path) {
  config::LoadResult loaded = config::load_file(path);
  std::vector<config::ConfigError> errors = std::move(loaded.errors);
  Loaded out;
  if (loaded.config) {
    out.config = std::move(*loaded.config);
    auto compiled = event::RuleSet::compile(out.config.observers);
    if (auto* rule_errors = std::get_if<std::vector<config::ConfigError>>(&compiled)) {
      errors.insert(errors.end(), rule_errors->begin(), rule_errors->end());
    } else {
      out.rules.emplace(std::move(std::get<event::RuleSet>(compiled)));
    }
  }
  if (!errors.empty()) {
    for (const auto& e : errors) fmt::print(stderr, "{}\n", e.to_string());
    fmt::print(stderr, "{}: {} error{}\n", path, errors.size(), errors.size() == 1 ? "" : "s");
    return kBadInput;
  }
  return out;
}

std::variant<pg::Connection, int> connect_database(const config::Config& config) {
  if (!config.database.url || config.database.url->value.empty()) {
    fmt::print(stderr,
               "{}: no database: set [database] url or the DATABASE_URL environment variable\n",
               config.path);
    return kBadInput;
  }
  auto db = pg::Connection::connect(config.database.url->value);
  if (!db) {
    fmt::print(stderr, "herald: {}\n", db.error().message);
    return kUnreachable;
  }
  return std::move(*db);
}

}  // namespace herald::cli
