// The engine over a real PostgreSQL: @view queries filter and project, @function
// mutations commit (and publish their event into the WAL) or commit nothing.
#include <gtest/gtest.h>

#include "graphql/execute.hpp"
#include "graphql/parser.hpp"
#include "graphql/pg_data_source.hpp"
#include "event/rule_set.hpp"
#include "graphql/validate.hpp"
#include "support/servers.hpp"

namespace herald::graphql {
namespace {

using json = nlohmann::ordered_json;
using herald::testing::TestDatabase;

constexpr std::string_view kSdl = R"(
type Order @table(name: "tb_order") { id: ID! customerId: Int status: String total: Float }
input NewOrder { customerId: Int!, total: Float! }
type Query {
  orders(customerId: ID, status: String, limit: Int, offset: Int): [Order!]! @view(name: "v_order")
  order(id: ID!): Order @view(name: "v_order")
  orderDocs(customerId: ID): [Order!]! @view(name: "v_order_doc")
}
type Mutation {
  createOrder(input: NewOrder!): Order @function(name: "fn_create_order")
  setStatus(id: ID!, status: String!): Order @function(name: "fn_set_status")
  failOrder(total: Float!): Order @function(name: "fn_fail")
  closeAll(customerId: Int!): [Order!]! @function(name: "fn_close_all")
}
)";

constexpr std::string_view kDdl = R"(
CREATE TABLE tb_order (id serial PRIMARY KEY, customer_id int NOT NULL,
                       status text NOT NULL DEFAULT 'new', total numeric NOT NULL);
CREATE VIEW v_order AS SELECT id, customer_id, status, total FROM tb_order ORDER BY id;
CREATE VIEW v_order_doc AS
  SELECT id, customer_id, jsonb_build_object('id', id, 'customerId', customer_id,
                                             'status', upper(status), 'total', total) AS data
  FROM tb_order ORDER BY id;
CREATE FUNCTION fn_create_order(input jsonb) RETURNS tb_order LANGUAGE sql AS $$
  INSERT INTO tb_order (customer_id, total)
  VALUES ((input->>'customerId')::int, (input->>'total')::numeric) RETURNING * $$;
CREATE FUNCTION fn_set_status(args jsonb) RETURNS jsonb LANGUAGE sql AS $$
  UPDATE tb_order SET status = args->>'status' WHERE id = (args->>'id')::int
  RETURNING jsonb_build_object('id', id, 'status', status) $$;
CREATE FUNCTION fn_close_all(args jsonb) RETURNS SETOF tb_order LANGUAGE sql AS $$
  WITH closed AS (UPDATE tb_order SET status = 'closed'
                  WHERE customer_id = (args->>'customerId')::int RETURNING *)
  SELECT * FROM closed ORDER BY id $$;
CREATE FUNCTION fn_fail(args jsonb) RETURNS jsonb LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO tb_order (customer_id, total) VALUES (1, 1);
  RAISE EXCEPTION 'total must be positive, got %', args->>'total';
END $$;
)";

class PgEngine : public ::testing::Test {
 protected:
  void SetUp() override {
    db_.exec(kDdl);
    auto built = build_schema(kSdl);
    ASSERT_TRUE(built.ok()) << built.errors[0].message;
    schema_ = built.schema;
    auto connection = pg::Connection::connect(db_.url());
    ASSERT_TRUE(connection.ok()) << connection.error().message;
    connection_.emplace(std::move(*connection));
    source_.emplace(*connection_, std::set<std::string, std::less<>>{"createOrder"});
  }

  json run(const std::string& query, const json& variables = json::object()) {
    auto document = parse(query);
    EXPECT_TRUE(document.ok()) << query;
    auto errors = validate(*schema_, *document);
    EXPECT_TRUE(errors.empty()) << (errors.empty() ? "" : errors[0].message);
    return execute(*schema_, *document, "", variables, {&*source_, json::object()}).to_json();
  }

  // Logical messages written since the last call, as test_decoding prints them.
  std::vector<std::string> messages() {
    std::vector<std::string> out;
    for (const auto& row : db_.exec("SELECT data FROM pg_logical_slot_get_changes('gql_test', "
                                    "NULL, NULL) WHERE data LIKE 'message:%'")) {
      out.push_back(row.at(0).value_or(""));
    }
    return out;
  }

  TestDatabase db_;
  std::shared_ptr<const Schema> schema_;
  std::optional<pg::Connection> connection_;
  std::optional<PgDataSource> source_;
};

TEST_F(PgEngine, QueriesFilterPageAndProject) {
  db_.exec("INSERT INTO tb_order (customer_id, total) VALUES (1, 10.5), (1, 20), (2, 30)");
  EXPECT_EQ(run("{ orders(customerId: 1) { id total } }"),
            json::parse(
                R"({"data": {"orders": [{"id": "1", "total": 10.5}, {"id": "2", "total": 20}]}})"));
  EXPECT_EQ(run("{ orders(limit: 1, offset: 1) { id customerId } }"),
            json::parse(R"({"data": {"orders": [{"id": "2", "customerId": 1}]}})"));
  EXPECT_EQ(run(R"(query($id: ID!) { order(id: $id) { status } })", {{"id", "3"}}),
            json::parse(R"({"data": {"order": {"status": "new"}}})"));
  EXPECT_EQ(run("{ order(id: 99) { status } }"), json::parse(R"({"data": {"order": null}})"));
}

TEST_F(PgEngine, ADataColumnIsTheRow) {
  db_.exec("INSERT INTO tb_order (customer_id, total) VALUES (7, 1)");
  EXPECT_EQ(run("{ orderDocs(customerId: 7) { customerId status } }"),
            json::parse(R"({"data": {"orderDocs": [{"customerId": 7, "status": "NEW"}]}})"));
}

TEST_F(PgEngine, ClientValuesAreParametersNeverSql) {
  db_.exec("INSERT INTO tb_order (customer_id, total) VALUES (1, 1)");
  json out = run(R"({ orders(status: "x' OR '1'='1") { id } })");
  EXPECT_EQ(out, json::parse(R"({"data": {"orders": []}})"));
  out = run(R"({ orders(customerId: "1; DROP TABLE tb_order") { id } })");
  ASSERT_TRUE(out.contains("errors"));
  EXPECT_EQ(out["errors"][0]["message"],
            "invalid input syntax for type integer: \"1; DROP TABLE tb_order\"");
  EXPECT_EQ(db_.scalar("SELECT count(*) FROM tb_order"), "1");
}

TEST_F(PgEngine, AMutationCommitsAndPublishesInItsTransaction) {
  db_.exec("SELECT pg_create_logical_replication_slot('gql_test', 'test_decoding')");
  json out =
      run(R"(mutation { createOrder(input: {customerId: 4, total: 12.5}) { id status total } })");
  EXPECT_EQ(out, json::parse(
                     R"({"data": {"createOrder": {"id": "1", "status": "new", "total": 12.5}}})"));
  EXPECT_EQ(db_.scalar("SELECT count(*) FROM tb_order WHERE customer_id = 4"), "1");
  const auto published = messages();
  ASSERT_EQ(published.size(), 1U);
  const std::string prefix = "message: transactional: 1 prefix: herald, sz: ";
  ASSERT_EQ(published[0].rfind(prefix, 0), 0U) << published[0];
  const auto content = published[0].substr(published[0].find("content:") + 8);
  EXPECT_EQ(nlohmann::json::parse(content), nlohmann::json::parse(R"({"mutation": "createOrder",
      "entity_type": "order", "entity_id": 1,
      "entity": {"id": 1, "customer_id": 4, "status": "new", "total": 12.5}})"));
  // The capture side turns exactly this content into the [[observers.publish]] event.
  config::Observers observers;
  observers.publish.push_back(config::Publish{"createOrder", "fraiseql.order.created", {}});
  auto rules = event::RuleSet::compile(observers);
  ASSERT_TRUE(std::holds_alternative<event::RuleSet>(rules));
  capture::LogicalMessage message;
  message.transactional = true;
  message.prefix = "herald";
  message.content = content;
  message.txn = capture::TransactionPosition{};
  std::vector<event::Event> events;
  EXPECT_TRUE(std::get<event::RuleSet>(rules).match_message(
      message,
      [&](const event::CompiledPublish&, event::Event&& e) { events.push_back(std::move(e)); }));
  ASSERT_EQ(events.size(), 1U);
  EXPECT_EQ(events[0].subject, "fraiseql.order.created");
  EXPECT_EQ(events[0].operation, "createOrder");
  EXPECT_EQ(events[0].entity_type, "order");
  EXPECT_EQ(events[0].entity_id, 1);
  EXPECT_EQ(events[0].entity["total"], 12.5);

  // Not in [[observers.publish]]: commits, writes no message.
  out = run(R"(mutation { setStatus(id: 1, status: "paid") { id status } })");
  EXPECT_EQ(out, json::parse(R"({"data": {"setStatus": {"id": "1", "status": "paid"}}})"));
  EXPECT_TRUE(messages().empty());
}

TEST_F(PgEngine, ASetReturningFunctionFillsAListField) {
  db_.exec("INSERT INTO tb_order (customer_id, total) VALUES (1, 1), (2, 2), (1, 3)");
  json out = run("mutation { closeAll(customerId: 1) { id status } }");
  EXPECT_EQ(out, json::parse(R"({"data": {"closeAll": [{"id": "1", "status": "closed"},
                                                        {"id": "3", "status": "closed"}]}})"));
  EXPECT_EQ(db_.scalar("SELECT count(*) FROM tb_order WHERE status = 'closed'"), "2");
}

TEST_F(PgEngine, AFailingFunctionCommitsNothingAndSaysWhere) {
  db_.exec("SELECT pg_create_logical_replication_slot('gql_test', 'test_decoding')");
  json out = run("mutation {\n  failOrder(total: -1) { id }\n}");
  EXPECT_EQ(out, json::parse(R"({"errors": [{"message": "total must be positive, got -1",
      "locations": [{"line": 2, "column": 3}], "path": ["failOrder"]}], "data": {"failOrder": null}})"));
  EXPECT_EQ(db_.scalar("SELECT count(*) FROM tb_order"), "0");
  EXPECT_TRUE(messages().empty());
  // The connection is usable again afterwards.
  out = run(R"(mutation { createOrder(input: {customerId: 1, total: 1}) { customerId } })");
  EXPECT_EQ(out, json::parse(R"({"data": {"createOrder": {"customerId": 1}}})"));
}

TEST_F(PgEngine, StartupCheckNamesMissingViewsAndFunctions) {
  EXPECT_TRUE(check_bindings(*connection_, *schema_).ok());
  db_.exec("DROP VIEW v_order_doc; DROP FUNCTION fn_fail(jsonb)");
  auto checked = check_bindings(*connection_, *schema_);
  ASSERT_FALSE(checked.ok());
  EXPECT_EQ(checked.error().message,
            "@view(name: \"v_order_doc\") on Query.orderDocs: no table or view v_order_doc in the "
            "database; @function(name: \"fn_fail\") on Mutation.failOrder: no function "
            "fn_fail(jsonb) in the database");
}

}  // namespace
}  // namespace herald::graphql
