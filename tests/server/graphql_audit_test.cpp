// The npm graphql-http audit suite (GraphQL over HTTP spec) against herald's server
// over a real PostgreSQL: every MUST audit passes; SHOULD results are reported.
#include <gtest/gtest.h>

#include "server/graphql_handler.hpp"
#include "server/graphql_http_audit.hpp"
#include "server/http_server.hpp"
#include "server/pg_source.hpp"
#include "support/servers.hpp"

namespace herald::server {
namespace {

constexpr std::string_view kSdl = R"(
type Order @table(name: "tb_order") { id: ID! customerId: Int }
type Query { orders(customerId: ID): [Order!]! @view(name: "v_order") }
type Mutation { createOrder(customerId: Int!): Order @function(name: "fn_create_order") }
)";

constexpr std::string_view kDdl = R"(
CREATE TABLE tb_order (id serial PRIMARY KEY, customer_id int NOT NULL);
CREATE VIEW v_order AS SELECT id, customer_id FROM tb_order ORDER BY id;
CREATE FUNCTION fn_create_order(args jsonb) RETURNS tb_order LANGUAGE sql AS $$
  INSERT INTO tb_order (customer_id) VALUES ((args->>'customerId')::int) RETURNING * $$;
)";

TEST(GraphQLHttpAudit, EveryMustAuditPasses) {
  herald::testing::TestDatabase db;
  db.exec(kDdl);
  auto built = graphql::build_schema(kSdl);
  ASSERT_TRUE(built.ok()) << built.errors[0].message;
  GraphQLHandler handler(built.schema, testing::pg_source_factory(db.url()), {});
  Router router;
  handler.add_routes(router);
  Settings settings;
  settings.port = 0;
  auto server = HttpServer::start(settings, std::move(router));
  ASSERT_TRUE(server.ok()) << server.error().message;

  const std::string url = "http://127.0.0.1:" + std::to_string((*server)->port()) + "/graphql";
  herald::testing::expect_graphql_http_audit_passes(url);

  (*server)->stop();
  handler.stop();
}

}  // namespace
}  // namespace herald::server
