#pragma once
// POST /graphql and GET /graphql (queries only) per GraphQL over HTTP. Parsing and
// validation run on the I/O thread (no database, bounded input); execution, which may
// block in libpq, runs on a WorkerPool whose workers each own a DataSource.
//
//   server::GraphQLHandler graphql(schema, make_source, {});
//   graphql.add_routes(router);           // graphql must outlive the HttpServer's stop()
//   ... server.stop(); graphql.stop();    // this order: in-flight requests finish first
//
// Status codes: application/graphql-response+json answers 400 to requests that do not
// reach execution (syntax, validation, unknown operation, bad variables) and 200 once
// execution started; application/json answers 200 to every well-formed request.
// Malformed HTTP-level requests (bad JSON, missing query) get 400 in both, a wrong
// Content-Type 415, an unacceptable Accept 406, a mutation over GET 405, a full queue 503.

#include <chrono>
#include <cstddef>
#include <memory>

#include "graphql/parser.hpp"
#include "graphql/schema.hpp"
#include "server/router.hpp"
#include "server/worker_pool.hpp"

namespace herald::server {

class GraphQLHandler {
 public:
  struct Options {
    std::size_t workers = 2;       // = database connections
    std::size_t queue_limit = 64;  // requests waiting for a worker; beyond: 503
    // A request still queued after this long is not executed (its client already got
    // the server's 504); set it to the server's handler_timeout.
    std::chrono::milliseconds time_limit{15000};
    graphql::ParseOptions parse;
  };

  GraphQLHandler(std::shared_ptr<const graphql::Schema> schema, DataSourceFactory make_source,
                 Options options);

  void add_routes(Router& router);  // "/graphql": GET, POST
  void handle(Request request, Reply reply);
  void stop() { pool_.stop(); }

 private:
  std::shared_ptr<const graphql::Schema> schema_;
  Options options_;
  WorkerPool pool_;
};

}  // namespace herald::server
