#include "config/loader.hpp"

#include <array>
#include <cerrno>
#include <climits>
#include <cstring>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <fmt/format.h>
#include <toml++/toml.h>

#include "config/diagnostics.hpp"
#include "config/dialect.hpp"
#include "config/names.hpp"
#include "config/observers_reader.hpp"
#include "config/table_reader.hpp"

namespace herald::config {
namespace {

constexpr std::array<std::string_view, 4> kTopLevelKeys = {"database", "server", "auth",
                                                           "observers"};
constexpr std::array<MisplacedKey, 6> kMisplacedAtTopLevel = {{{"backend", "[observers]"},
                                                               {"nats_url", "[observers]"},
                                                               {"redis_url", "[observers]"},
                                                               {"url", "[database]"},
                                                               {"listen", "[server]"},
                                                               {"jwt_secret_env", "[auth]"}}};
constexpr std::array<std::string_view, 2> kDatabaseKeys = {"url", "url_env"};
constexpr std::array<std::string_view, 4> kServerKeys = {"listen", "schema", "max_connections",
                                                         "workers"};
// Each worker holds a database connection; PostgreSQL's default max_connections is 100.
constexpr std::int64_t kMaxWorkers = 64;
constexpr std::array<std::string_view, 1> kAuthKeys = {"jwt_secret_env"};
constexpr std::string_view kDefaultSchemaFile = "schema.graphql";

void read_database(LoadContext& context, const toml::table* table, Database& database) {
  if (table != nullptr) {
    const TableReader reader(context, *table, "[database]", kDatabaseKeys);
    if (reader.has("url") && reader.has("url_env")) {
      reader.error_at_key("url_env", "'url' and 'url_env' are both set; keep one");
    }
    if (const auto url = reader.string("url")) database.url = Secret{*url, ""};
    if (auto url = reader.env_secret("url_env")) database.url = std::move(url);
    if (reader.has("url") || reader.has("url_env")) return;
  }
  // Without a URL in the file, libpq's usual variable; commands that need the
  // database say so when it is missing.
  if (auto url = context.env("DATABASE_URL"); url && !url->empty()) {
    database.url = Secret{std::move(*url), "DATABASE_URL"};
  }
}

// `schema` relative to the folder holding the config file; it must exist.
void read_schema_path(const TableReader& reader, const std::string& config_path, Server& server) {
  const auto written = reader.has("schema") ? reader.string("schema")
                                            : std::optional<std::string>(kDefaultSchemaFile);
  if (!written) return;
  if (written->empty()) {
    reader.error_at_value("schema", "'schema' must name a GraphQL SDL file");
    return;
  }
  namespace fs = std::filesystem;
  std::error_code error;
  const fs::path folder = fs::path(config_path).parent_path();
  fs::path resolved = fs::absolute(folder / *written, error).lexically_normal();
  if (error) resolved = (folder / *written).lexically_normal();
  if (!fs::is_regular_file(resolved, error)) {
    const std::string message =
        reader.has("schema") ? fmt::format("schema file \"{}\" not found (looked for {})", *written,
                                           resolved.string())
                             : fmt::format(
                                   "[server] has no 'schema', and the default \"{}\" was not found "
                                   "(looked for {})",
                                   *written, resolved.string());
    reader.error_at_value("schema", message);
    return;
  }
  server.schema_path = resolved.string();
}

void read_server(LoadContext& context, const toml::table& table, const std::string& config_path,
                 Server& server) {
  const TableReader reader(context, table, "[server]", kServerKeys);
  if (const auto listen = reader.string("listen")) {
    if (const auto address = parse_listen(*listen)) {
      server.host = address->host;
      server.port = address->port;
    } else {
      reader.error_at_value("listen", fmt::format("'listen' must be \"host:port\" with a port from "
                                                  "1 to 65535, got \"{}\"",
                                                  *listen));
    }
  }
  read_schema_path(reader, config_path, server);
  if (const auto max = reader.integer("max_connections", 1, INT_MAX)) {
    server.max_connections = static_cast<int>(*max);
  }
  if (const auto workers = reader.integer("workers", 1, kMaxWorkers)) {
    server.workers = static_cast<int>(*workers);
  }
}

void read_auth(LoadContext& context, const toml::table& table, Auth& auth) {
  const TableReader reader(context, table, "[auth]", kAuthKeys);
  if (!reader.has("jwt_secret_env")) {
    context.diagnostics.error(reader.pos(),
                              "[auth] has no 'jwt_secret_env' (the variable holding the HS256 "
                              "secret)");
  }
  if (auto secret = reader.env_secret("jwt_secret_env")) auth.jwt_secret = std::move(*secret);
}

Config read_document(LoadContext& context, const toml::table& document, const std::string& path) {
  Config config;
  config.path = path;
  const TableReader root(context, document, "the file's top level", kTopLevelKeys,
                         kMisplacedAtTopLevel);
  read_database(context, root.table("database"), config.database);
  if (const toml::table* server = root.table("server")) {
    config.server.emplace();
    read_server(context, *server, path, *config.server);
  }
  if (const toml::table* auth = root.table("auth")) {
    config.auth.emplace();
    read_auth(context, *auth, *config.auth);
  }
  if (const toml::table* observers = root.table("observers")) {
    read_observers(context, *observers, config.observers);
  }
  return config;
}

LoadResult finish(Diagnostics& diagnostics, std::optional<Config> config) {
  LoadResult result;
  result.errors = diagnostics.take_sorted();
  if (result.errors.empty()) result.config = std::move(config);
  return result;
}

}  // namespace

std::string ConfigError::to_string() const {
  if (pos.line <= 0) return fmt::format("{}: {}", pos.file, message);
  return fmt::format("{}:{}:{}: {}", pos.file, pos.line, pos.column, message);
}

EnvLookup process_env() {
  return [](const std::string& name) -> std::optional<std::string> {
    const char* value = std::getenv(name.c_str());
    if (value == nullptr) return std::nullopt;
    return std::string(value);
  };
}

LoadResult load_string(std::string_view text, const std::string& path, const EnvLookup& env) {
  const DialectResult plain = rewrite_observers_dialect(text);
  Diagnostics diagnostics(path, plain.columns, text);
  // Dialect errors mean the file's structure is not what it looks like; parsing the
  // rewritten text would only add confusing follow-up errors.
  for (const DialectError& error : plain.errors) {
    diagnostics.error(SourcePos{path, error.line, error.column}, error.message);
  }
  if (diagnostics.has_errors()) return finish(diagnostics, std::nullopt);
  toml::table document;
  try {
    document = toml::parse(std::string_view(plain.text), std::string_view(path));
  } catch (const toml::parse_error& error) {
    diagnostics.error(diagnostics.at(error.source().begin), std::string(error.description()));
    return finish(diagnostics, std::nullopt);
  }
  LoadContext context{diagnostics, env};
  Config config = read_document(context, document, path);
  return finish(diagnostics, std::move(config));
}

LoadResult load_file(const std::string& path, const EnvLookup& env) {
  std::ifstream file(path, std::ios::binary);
  const int open_errno = errno;
  std::ostringstream content;
  if (file) content << file.rdbuf();
  std::error_code error;
  if (std::filesystem::is_directory(path, error)) {
    return LoadResult{std::nullopt,
                      {ConfigError{SourcePos{path, 0, 0}, "is a folder, not a file"}}};
  }
  if (!file || file.bad()) {
    return LoadResult{std::nullopt,
                      {ConfigError{SourcePos{path, 0, 0}, fmt::format("cannot read the file ({})",
                                                                      std::strerror(open_errno))}}};
  }
  return load_string(content.str(), path, env);
}

}  // namespace herald::config
