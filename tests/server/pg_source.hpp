#pragma once
// A DataSourceFactory over PostgreSQL for the tests: each worker gets its own
// connection and a PgDataSource on it (what cli's wiring does too).

#include <memory>
#include <set>
#include <string>

#include "graphql/pg_data_source.hpp"
#include "pg/connection.hpp"
#include "server/worker_pool.hpp"

namespace herald::server::testing {

class OwnedPgDataSource : public graphql::DataSource {
 public:
  explicit OwnedPgDataSource(pg::Connection connection)
      : connection_(std::move(connection)), source_(connection_, {}) {}
  Result<nlohmann::ordered_json> query(const graphql::ViewQuery& query) override {
    return source_.query(query);
  }
  Result<nlohmann::ordered_json> mutate(const graphql::FunctionCall& call) override {
    return source_.mutate(call);
  }

 private:
  pg::Connection connection_;
  graphql::PgDataSource source_;
};

inline DataSourceFactory pg_source_factory(std::string url) {
  return [url]() -> Result<std::unique_ptr<graphql::DataSource>> {
    auto connection = pg::Connection::connect(url);
    if (!connection) return connection.error();
    return std::unique_ptr<graphql::DataSource>(
        std::make_unique<OwnedPgDataSource>(std::move(*connection)));
  };
}

}  // namespace herald::server::testing
