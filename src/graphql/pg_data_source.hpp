#pragma once
// The PostgreSQL DataSource (SPEC section 6): @view fields read `SELECT ... FROM view
// WHERE col = $1 ... LIMIT/OFFSET`; @function fields call `fn($1::jsonb)` in a
// transaction of their own; for mutations named in [[observers.publish]] the same
// transaction writes `pg_logical_emit_message(true, 'herald', content)`, so the
// event exists exactly when the mutation committed. Client values only ever reach SQL
// as bind parameters; names from the schema as quoted identifiers.
//
// One PgDataSource per connection; a connection serves one request at a time.

#include <set>
#include <string>

#include "graphql/data_source.hpp"
#include "graphql/schema.hpp"
#include "pg/connection.hpp"

namespace herald::graphql {

class PgDataSource : public DataSource {
 public:
  // `publish`: mutation names of [[observers.publish]]. The connection must outlive this.
  PgDataSource(pg::Connection& connection, std::set<std::string, std::less<>> publish);

  Result<nlohmann::ordered_json> query(const ViewQuery& query) override;
  Result<nlohmann::ordered_json> mutate(const FunctionCall& call) override;

 private:
  pg::Connection& connection_;
  std::set<std::string, std::less<>> publish_;
};

// Checks at start that every @view and @function of the schema exists in the database
// (a function must take one jsonb). The error names each missing one and its field.
Result<void> check_bindings(pg::Connection& connection, const Schema& schema);

// A view or function name from the schema as SQL: "v_order" or "app.v_order", quoted.
std::string sql_name(std::string_view name);

}  // namespace herald::graphql
