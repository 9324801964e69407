#include "cli/check_command.hpp"

#include <fmt/format.h>

#include <cstdio>
#include <optional>

#include "cli/app.hpp"
#include "cli/describe.hpp"
#include "cli/graphql_schema_file.hpp"
#include "config/loader.hpp"
#include "pg/connection.hpp"

namespace herald::cli {
namespace {

// [server] schema: the SDL builds, every [[observers.publish]] names one of its
// mutations, and, when the database can be reached, every @view and @function exists
// there. Problems are printed located; returns how many there were.
std::size_t check_graphql_schema(const config::Config& config, std::string& notes) {
  SchemaFile file = load_schema_file(config.server->schema_path);
  std::vector<std::string> problems = std::move(file.errors);
  if (file.schema) {
    auto unknown = check_publish_mutations(config.observers, file);
    problems.insert(problems.end(), unknown.begin(), unknown.end());
    std::optional<pg::Connection> db;
    std::string why = "no [database] url";
    if (config.database.url && !config.database.url->value.empty()) {
      pg::ConnectOptions options;
      options.connect_timeout_seconds = 3;
      auto connected = pg::Connection::connect(config.database.url->value, options);
      if (connected) {
        db.emplace(std::move(*connected));
      } else {
        why = connected.error().message;
      }
    }
    if (db) {
      BindingProblems bindings = check_schema_bindings(*db, file);
      problems.insert(problems.end(), bindings.missing.begin(), bindings.missing.end());
      notes =
          bindings.unreachable.empty()
              ? fmt::format("schema      {}: every @view and @function exists in the database\n",
                            file.shown_path)
              : fmt::format("schema      {} not checked against the database: {}\n",
                            file.shown_path, bindings.unreachable);
    } else {
      notes = fmt::format("schema      {} not checked against the database: {}\n", file.shown_path,
                          why);
    }
  }
  for (const auto& p : problems) fmt::print(stderr, "{}\n", p);
  return problems.size();
}

}  // namespace

int check_command(const std::string& config_path) {
  config::LoadResult loaded = config::load_file(config_path);
  if (!loaded.errors.empty()) {
    for (const auto& e : loaded.errors) fmt::print(stderr, "{}\n", e.to_string());
    fmt::print(stderr, "{}: {} error{}\n", config_path, loaded.errors.size(),
               loaded.errors.size() == 1 ? "" : "s");
    return kBadInput;
  }
  std::string notes;
  if (loaded.config->server) {
    if (const std::size_t n = check_graphql_schema(*loaded.config, notes); n > 0) {
      fmt::print(stderr, "{}: {} error{} in the GraphQL schema\n", config_path, n,
                 n == 1 ? "" : "s");
      return kBadInput;
    }
  }
  fmt::print("{}: ok\n\n{}{}", config_path, describe(*loaded.config), notes);
  return kOk;
}

}  // namespace herald::cli
