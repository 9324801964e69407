#pragma once
// GraphQL over HTTP in `herald run` (SPEC section 6): the [server] schema built and checked
// against the database, a GraphQLHandler whose workers each own a database connection,
// and the [[observers.publish]] mutations handed to every connection's data source so
// their events are written inside the mutations' transactions.
//
//   auto opened = open_graphql_service(config, db);   // prints located errors itself
//   if (auto* code = std::get_if<int>(&opened)) return *code;
//   graphql->add_routes(router);                      // before HttpServer::start
//   ... http->stop(); graphql->stop();                // this order

#include <chrono>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <variant>

#include "config/config.hpp"
#include "graphql/schema.hpp"
#include "pg/connection.hpp"
#include "server/graphql_handler.hpp"
#include "server/router.hpp"

namespace herald::cli {

struct GraphQLServiceSettings {
  std::string conninfo;
  std::set<std::string, std::less<>> publish;  // mutation names of [[observers.publish]]
  std::size_t workers = 4;                     // = database connections
  std::size_t queue_limit = 1024;              // requests waiting for a worker; beyond: 503
  // A request's statement may not outlive the HTTP handler deadline (the client already
  // got its 504 then), nor keep a worker.
  std::chrono::milliseconds time_limit{15000};
  // [auth]: every request needs `Authorization: Bearer <JWT signed HS256 with this>`.
  std::optional<std::string> jwt_secret;
};

class GraphQLService {
 public:
  GraphQLService(std::shared_ptr<const graphql::Schema> schema,
                 const GraphQLServiceSettings& settings);

  // "/graphql", GET and POST; behind a JWT check when [auth] is set (401 without one).
  void add_routes(server::Router& router);
  // After the HTTP server's stop(): lets running requests finish, joins the workers.
  void stop() { handler_.stop(); }

 private:
  server::GraphQLHandler handler_;
  std::optional<std::string> jwt_secret_;
};

// The per-worker data source: a connection of its own (statement_timeout = the time
// limit) that is opened again when it was lost, e.g. after a PostgreSQL restart.
server::DataSourceFactory pg_data_source_factory(const GraphQLServiceSettings& settings);

// For `herald run` with [server]: loads and checks the schema (against `db`) and makes the
// service; on failure prints every problem, located, and returns the exit code.
std::variant<std::unique_ptr<GraphQLService>, int> open_graphql_service(
    const config::Config& config, pg::Connection& db);

}  // namespace herald::cli
