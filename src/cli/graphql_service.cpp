#include "cli/graphql_service.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <optional>

#include "cli/app.hpp"
#include "cli/graphql_schema_file.hpp"
#include "cli/jwt.hpp"
#include "graphql/pg_data_source.hpp"
#include "server/http.hpp"

namespace herald::cli {
namespace {

Result<pg::Connection> connect_worker(const GraphQLServiceSettings& settings) {
  pg::ConnectOptions options;
  options.application_name = "herald-graphql";
  auto connection = pg::Connection::connect(settings.conninfo, options);
  if (!connection) return make_error(connection.error().message);
  auto set =
      connection->exec(fmt::format("SET statement_timeout = {}", settings.time_limit.count()));
  if (!set) return make_error(set.error().message);
  return std::move(*connection);
}

class WorkerDataSource : public graphql::DataSource {
 public:
  WorkerDataSource(GraphQLServiceSettings settings, pg::Connection connection)
      : settings_(std::move(settings)), connection_(std::move(connection)) {
    source_.emplace(*connection_, settings_.publish);
  }

  Result<nlohmann::ordered_json> query(const graphql::ViewQuery& query) override {
    if (auto ok = ensure_connected(); !ok) return ok.error();
    return source_->query(query);
  }
  Result<nlohmann::ordered_json> mutate(const graphql::FunctionCall& call) override {
    if (auto ok = ensure_connected(); !ok) return ok.error();
    return source_->mutate(call);
  }

 private:
  // A request on a lost connection fails (it may have run, or not); the next one opens
  // a new connection rather than failing for ever.
  Result<void> ensure_connected() {
    if (connection_ && connection_->is_ok()) return {};
    source_.reset();
    connection_.reset();
    auto connection = connect_worker(settings_);
    if (!connection) {
      spdlog::warn("GraphQL: cannot reconnect to the database: {}", connection.error().message);
      return make_error("The database is unavailable.");
    }
    connection_.emplace(std::move(*connection));
    source_.emplace(*connection_, settings_.publish);
    return {};
  }

  GraphQLServiceSettings settings_;
  std::optional<pg::Connection> connection_;
  std::optional<graphql::PgDataSource> source_;  // borrows connection_
};

server::GraphQLHandler::Options handler_options(const GraphQLServiceSettings& settings) {
  server::GraphQLHandler::Options options;
  options.workers = settings.workers;
  options.queue_limit = settings.queue_limit;
  options.time_limit = settings.time_limit;
  return options;
}

void print_problems(const std::vector<std::string>& problems, const std::string& file,
                    std::string_view what) {
  for (const auto& p : problems) fmt::print(stderr, "{}\n", p);
  fmt::print(stderr, "{}: {} error{}{}\n", file, problems.size(), problems.size() == 1 ? "" : "s",
             what);
}

}  // namespace

server::DataSourceFactory pg_data_source_factory(const GraphQLServiceSettings& settings) {
  return [settings]() -> Result<std::unique_ptr<graphql::DataSource>> {
    auto connection = connect_worker(settings);
    if (!connection) return connection.error();
    return std::unique_ptr<graphql::DataSource>(
        std::make_unique<WorkerDataSource>(settings, std::move(*connection)));
  };
}

GraphQLService::GraphQLService(std::shared_ptr<const graphql::Schema> schema,
                               const GraphQLServiceSettings& settings)
    : handler_(std::move(schema), pg_data_source_factory(settings), handler_options(settings)),
      jwt_secret_(settings.jwt_secret) {}

void GraphQLService::add_routes(server::Router& router) {
  if (!jwt_secret_) {
    handler_.add_routes(router);
    return;
  }
  namespace http = server::http;
  router.add(
      "/graphql", {http::verb::post, http::verb::get},
      [this](server::Request request, server::Reply reply) {
        const std::string_view token =
            bearer_token(server::to_std(request[http::field::authorization]));
        auto claims =
            token.empty()
                ? Result<nlohmann::json>(make_error("an Authorization: Bearer token is required"))
                : verify_hs256_jwt(token, *jwt_secret_, std::chrono::system_clock::now());
        if (!claims) {
          auto response =
              server::make_json_error(http::status::unauthorized, claims.error().message);
          response.set(http::field::www_authenticate, "Bearer");
          reply(std::move(response));
          return;
        }
        handler_.handle(std::move(request), std::move(reply));
      });
}

std::variant<std::unique_ptr<GraphQLService>, int> open_graphql_service(
    const config::Config& config, pg::Connection& db) {
  SchemaFile file = load_schema_file(config.server->schema_path);
  if (!file.errors.empty()) {
    print_problems(file.errors, file.shown_path, "");
    return kBadInput;
  }
  BindingProblems problems = check_schema_bindings(db, file);
  if (!problems.unreachable.empty()) {
    fmt::print(stderr, "herald: {}\n", problems.unreachable);
    return kUnreachable;
  }
  if (!problems.missing.empty()) {
    print_problems(problems.missing, file.shown_path, " against the database");
    return kBadInput;
  }
  if (auto unknown = check_publish_mutations(config.observers, file); !unknown.empty()) {
    print_problems(unknown, config.path, "");
    return kBadInput;
  }
  GraphQLServiceSettings settings;
  settings.conninfo = config.database.url ? config.database.url->value : std::string();
  if (config.server) settings.workers = static_cast<std::size_t>(config.server->workers);
  for (const config::Publish& p : config.observers.publish) settings.publish.insert(p.mutation);
  if (config.auth) settings.jwt_secret = config.auth->jwt_secret.value;
  return std::make_unique<GraphQLService>(std::move(file.schema), settings);
}

}  // namespace herald::cli
