// The engine end to end without a database: schema building, execution (with a
// recording DataSource), subscriptions.
#include <gtest/gtest.h>

#include "graphql/execute.hpp"
#include "graphql/parser.hpp"
#include "graphql/schema.hpp"
#include "graphql/subscription.hpp"
#include "graphql/validate.hpp"

namespace herald::graphql {
namespace {

using json = nlohmann::ordered_json;

constexpr std::string_view kSdl = R"(
type Order @table(name: "tb_order") {
  id: ID!
  customerId: ID
  status: String
  total: Float
  lines: [Line!]
  must: String!
}
type Line { sku: String qty: Int }
type Customer { id: ID! name: String }
union Thing = Order | Customer
input NewOrder { customerId: ID!, total: Float = 0 }
type Query {
  orders(customerId: ID, limit: Int, offset: Int): [Order!]! @view(name: "v_order")
  maybeOrders: [Order] @view(name: "v_order")
  order(id: ID!): Order @view(name: "v_order")
  things: [Thing] @view(name: "v_thing")
}
type Mutation {
  createOrder(input: NewOrder!): Order @function(name: "fn_create_order")
  cancelOrder(id: ID!, reason: String): Order @function(name: "fn_cancel_order")
}
type Subscription {
  orderUpdated(customerId: ID): Order @subscribe(entity: "Order", operation: [INSERT, UPDATE])
}
)";

class RecordingSource : public DataSource {
 public:
  Result<json> query(const ViewQuery& q) override {
    queries.push_back(q);
    auto it = views.find(q.view);
    return it == views.end() ? json::array() : it->second;
  }
  Result<json> mutate(const FunctionCall& call) override {
    calls.push_back(call);
    if (call.function == "fn_cancel_order") return make_error("order 7 is already shipped");
    json result = call.arguments;
    result["id"] = 42;
    return result;
  }
  std::map<std::string, json> views;
  std::vector<ViewQuery> queries;
  std::vector<FunctionCall> calls;
};

std::shared_ptr<const Schema> test_schema() {
  static auto built = build_schema(kSdl);
  EXPECT_TRUE(built.ok()) << (built.errors.empty() ? "" : built.errors[0].message);
  return built.schema;
}

json run(const std::string& query, RecordingSource& source, const json& variables = json::object(),
         const std::string& operation = "") {
  auto document = parse(query);
  EXPECT_TRUE(document.ok()) << query;
  auto errors = validate(*test_schema(), *document);
  EXPECT_TRUE(errors.empty()) << (errors.empty() ? "" : errors[0].message);
  return execute(*test_schema(), *document, operation, variables, {&source, json::object()})
      .to_json();
}

TEST(Schema, ReportsErrorsWithLocations) {
  auto built = build_schema("type Query { a: Nope b: Int b: String }\nextend type Zed { x: Int }");
  ASSERT_FALSE(built.ok());
  std::vector<std::string> messages;
  for (const auto& e : built.errors) messages.push_back(e.message);
  EXPECT_EQ(messages,
            (std::vector<std::string>{"Field \"Query.b\" can only be defined once.",
                                      "Cannot extend type \"Zed\" because it is not defined."}));
  EXPECT_EQ(built.errors[0].locations[0], (SourceLocation{1, 29}));
  auto unknown = build_schema("type Query { a: Nope }");
  ASSERT_EQ(unknown.errors.size(), 1U);
  EXPECT_EQ(unknown.errors[0].message, "Unknown type \"Nope\".");
  EXPECT_EQ(unknown.errors[0].locations[0], (SourceLocation{1, 17}));
}

TEST(Schema, ChecksHeraldDirectives) {
  auto misplaced = build_schema("type Query { a: Int } type Other { b: Int @view(name: \"v\") }");
  ASSERT_EQ(misplaced.errors.size(), 1U);
  EXPECT_EQ(misplaced.errors[0].message,
            "Directive \"@view\" belongs on a field of the Query type, not on Other.b.");
  auto no_table = build_schema(
      "type Query { a: Int } type T { x: Int } type Subscription { t: T @subscribe(entity: \"T\", "
      "operation: INSERT) }");
  ASSERT_EQ(no_table.errors.size(), 1U);
  EXPECT_NE(no_table.errors[0].message.find("must name an object type with @table"),
            std::string::npos);
  auto missing_arg = build_schema("type Query { a: Int @view }");
  ASSERT_EQ(missing_arg.errors.size(), 1U);
  EXPECT_EQ(missing_arg.errors[0].message,
            "Directive \"@view\" argument \"name\" of type \"String!\" is required, but it was not "
            "provided.");
}

TEST(Schema, ChecksImplementationsAndShapes) {
  auto built = build_schema(R"(
    interface Node { id: ID! at(tz: String): String }
    type A implements Node { id: ID at(tz: Int, strict: Boolean!): String }
    type Query { a: A }
    enum Empty
    type Mutation)");
  std::vector<std::string> messages;
  for (const auto& e : built.errors) messages.push_back(e.message);
  EXPECT_EQ(messages, (std::vector<std::string>{
                          "Interface field Node.id expects type ID! but A.id is type ID.",
                          "Interface field argument Node.at(tz:) expects type String but A.at(tz:) "
                          "is type Int.",
                          "Object field A.at includes required argument strict that is missing "
                          "from the Interface field Node.at.",
                          "Enum type Empty must define one or more values.",
                          "Type Mutation must define one or more fields."}));
  auto scalar_root = build_schema("scalar Query");
  ASSERT_EQ(scalar_root.errors.size(), 1U);
  EXPECT_EQ(scalar_root.errors[0].message,
            "Query root type must be Object type, it cannot be Query.");
}

TEST(Schema, AcceptsItsOwnDeclarationsOfHeraldDirectivesOnly) {
  auto redeclared = build_schema(
      "directive @view(name: String!) on FIELD_DEFINITION\n"
      "type Query { a: [Int] @view(name: \"v_a\") }");
  ASSERT_TRUE(redeclared.ok()) << redeclared.errors[0].message;
  EXPECT_EQ(redeclared.schema->query_type()->field("a")->binding.name, "v_a");
  auto skip = build_schema("directive @skip(if: Boolean!) on FIELD\ntype Query { a: Int }");
  ASSERT_EQ(skip.errors.size(), 1U);
  EXPECT_EQ(skip.errors[0].message,
            "Directive \"@skip\" already exists in the schema. It cannot be redefined.");
  EXPECT_EQ(skip.errors[0].locations[0], (SourceLocation{1, 12}));
}

TEST(Schema, DecodesBindingsExtensionsAndNames) {
  auto schema = test_schema();
  const FieldDef* orders = schema->query_type()->field("orders");
  EXPECT_EQ(orders->binding.kind, BindingKind::view);
  EXPECT_EQ(orders->binding.name, "v_order");
  const FieldDef* sub = schema->subscription_type()->field("orderUpdated");
  EXPECT_EQ(sub->binding.table, "tb_order");
  EXPECT_EQ(sub->binding.operations, (std::vector<std::string>{"INSERT", "UPDATE"}));
  EXPECT_EQ(schema->bound_fields().size(), 6U);
  auto extended = build_schema("type Query { a: Int } extend type Query { b: String @deprecated }");
  ASSERT_TRUE(extended.ok());
  EXPECT_EQ(extended.schema->query_type()->field("b")->deprecation_reason, "No longer supported");
  EXPECT_EQ(to_snake_case("customerId"), "customer_id");
  EXPECT_EQ(to_camel_case("customer_id"), "customerId");
}

TEST(Validate, BoundsTheWorkOfComparingFields) {
  std::string query = "{ orders {";
  for (int i = 0; i < 1000; ++i) query += " id";
  auto document = parse(query + " } }");
  ASSERT_TRUE(document.ok());
  auto errors = validate(*test_schema(), *document);
  ASSERT_EQ(errors.size(), 1U);
  EXPECT_EQ(errors[0].message, "Validation aborted.");
}

TEST(Execute, ViewArgumentsBecomeFiltersAndLimit) {
  RecordingSource source;
  source.views["v_order"] =
      json::parse(R"([{"id": 1, "customer_id": 9, "status": "paid", "must": "m"}])");
  json out =
      run(R"({ list: orders(customerId: 9, limit: 5, offset: 2) { id customerId st: status } })",
          source);
  EXPECT_EQ(out,
            json::parse(R"({"data": {"list": [{"id": "1", "customerId": "9", "st": "paid"}]}})"));
  ASSERT_EQ(source.queries.size(), 1U);
  EXPECT_EQ(source.queries[0].filters, json::parse(R"({"customer_id": "9"})"));
  EXPECT_EQ(source.queries[0].limit, 5);
  EXPECT_EQ(source.queries[0].offset, 2);
  out = run(R"({ order(id: 1) { id } })", source);
  EXPECT_EQ(source.queries.back().limit, 1);  // a single object asks for one row
  EXPECT_EQ(out, json::parse(R"({"data": {"order": {"id": "1"}}})"));
}

TEST(Execute, FragmentsDirectivesAndTypename) {
  RecordingSource source;
  source.views["v_order"] =
      json::parse(R"([{"id": 1, "total": 2.5, "must": "m", "lines": [{"sku": "a", "qty": 2}]}])");
  source.views["v_thing"] = json::parse(
      R"([{"__typename": "Customer", "id": 3, "name": "Ann"}, {"__typename": "Order", "id": 4, "must": "x"}])");
  json out = run(R"(query Q($skip: Boolean!) {
      orders { ...F lines @include(if: $skip) { sku } total @skip(if: $skip) __typename }
      things { __typename ... on Customer { name } ... on Order { id } }
    } fragment F on Order { id lines { qty } })",
                 source, {{"skip", true}});
  EXPECT_EQ(out, json::parse(R"({"data": {
      "orders": [{"id": "1", "lines": [{"qty": 2, "sku": "a"}], "__typename": "Order"}],
      "things": [{"__typename": "Customer", "name": "Ann"}, {"__typename": "Order", "id": "4"}]}})"));
}

TEST(Execute, NullPropagatesToTheNearestNullableParent) {
  RecordingSource source;
  source.views["v_order"] = json::parse(R"([{"id": 1, "must": null}])");
  json out = run("{ maybeOrders { id must } }", source);
  EXPECT_EQ(out,
            json::parse(
                R"({"errors": [{"message": "Cannot return null for non-nullable field Order.must.",
      "locations": [{"line": 1, "column": 20}], "path": ["maybeOrders", 0, "must"]}],
      "data": {"maybeOrders": [null]}})"));
  out = run("{ orders { id must } }", source);  // [Order!]! : the null reaches data
  EXPECT_EQ(out["data"], nullptr);
  EXPECT_EQ(out["errors"][0]["path"], json::parse(R"(["orders", 0, "must"])"));
}

TEST(Execute, LeafValuesAreCoercedOrFail) {
  RecordingSource source;
  source.views["v_order"] = json::parse(R"([{"id": 1, "must": "m", "lines": [{"qty": 1.5}]}])");
  json out = run("{ maybeOrders { lines { qty } } }", source);
  ASSERT_EQ(out["errors"].size(), 1U);
  EXPECT_EQ(out["errors"][0]["message"], "Int cannot represent non-integer value: 1.5");
  EXPECT_EQ(out["errors"][0]["path"], json::parse(R"(["maybeOrders", 0, "lines", 0, "qty"])"));
  EXPECT_EQ(out["data"], json::parse(R"({"maybeOrders": [{"lines": [{"qty": null}]}]})"));
}

TEST(Execute, VariableErrorsAreRequestErrors) {
  RecordingSource source;
  json out = run("query Q($id: ID!) { order(id: $id) { id } }", source, json::object());
  EXPECT_EQ(
      out,
      json::parse(
          R"({"errors": [{"message": "Variable \"$id\" of required type \"ID!\" was not provided.",
      "locations": [{"line": 1, "column": 9}]}]})"));
  out = run("mutation M($in: NewOrder!) { createOrder(input: $in) { id } }", source,
            {{"in", {{"total", "x"}}}});
  EXPECT_EQ(out["errors"][0]["message"],
            "Variable \"$in\" got invalid value { total: \"x\" }; Field \"customerId\" of required "
            "type \"ID!\" was not provided.");
  EXPECT_FALSE(out.contains("data"));
  EXPECT_TRUE(source.calls.empty());
}

TEST(Execute, SelectsTheOperationByName) {
  RecordingSource source;
  auto document = parse("query A { __typename } query B { b: __typename }");
  auto result = execute(*test_schema(), *document, "B", json::object(), {&source, json::object()});
  EXPECT_EQ(result.to_json(), json::parse(R"({"data": {"b": "Query"}})"));
  result = execute(*test_schema(), *document, "", json::object(), {&source, json::object()});
  EXPECT_EQ(result.errors[0].message,
            "Must provide operation name if query contains multiple operations.");
  result = execute(*test_schema(), *document, "C", json::object(), {&source, json::object()});
  EXPECT_EQ(result.errors[0].message, "Unknown operation named \"C\".");
}

TEST(Execute, MutationsRunInOrderWithTheInputUnwrapped) {
  RecordingSource source;
  json out = run(R"(mutation { a: createOrder(input: {customerId: 5}) { id customerId total }
                              b: cancelOrder(id: 7) { id } })",
                 source);
  EXPECT_EQ(out, json::parse(R"({"errors": [{"message": "order 7 is already shipped",
      "locations": [{"line": 2, "column": 31}], "path": ["b"]}],
      "data": {"a": {"id": "42", "customerId": "5", "total": 0.0}, "b": null}})"));
  ASSERT_EQ(source.calls.size(), 2U);
  EXPECT_EQ(source.calls[0].arguments, json::parse(R"({"customerId": "5", "total": 0.0})"));
  EXPECT_EQ(source.calls[0].mutation, "createOrder");
  EXPECT_EQ(source.calls[0].entity_type, "order");
  EXPECT_EQ(source.calls[1].arguments, json::parse(R"({"id": "7"})"));
}

TEST(Subscription, MatchesEventsAndProjectsThem) {
  auto document =
      std::make_shared<const Document>(parse("subscription S($c: ID) { o: orderUpdated(customerId: "
                                             "$c) { id customerId t: __typename } }")
                                           .value());
  auto prepared = prepare_subscription(test_schema(), document, "", {{"c", 9}});
  ASSERT_TRUE(prepared.plan.has_value()) << prepared.errors[0].message;
  const SubscriptionPlan& plan = *prepared.plan;
  EXPECT_EQ(plan.table(), "public.tb_order");
  EXPECT_EQ(plan.filters(), json::parse(R"({"customer_id": "9"})"));
  const json row = json::parse(R"({"id": 1, "customer_id": 9, "status": "paid"})");
  EXPECT_TRUE(plan.matches("public.tb_order", "UPDATE", row));
  EXPECT_TRUE(plan.matches("tb_order", "created", row));
  EXPECT_FALSE(plan.matches("tb_order", "DELETE", row));
  EXPECT_FALSE(plan.matches("tb_other", "UPDATE", row));
  EXPECT_FALSE(plan.matches("tb_order", "UPDATE", json::parse(R"({"id": 1, "customer_id": 8})")));
  EXPECT_EQ(plan.project(row).to_json(),
            json::parse(R"({"data": {"o": {"id": "1", "customerId": "9", "t": "Order"}}})"));
}

TEST(Subscription, RejectsQueriesAndBadVariables) {
  auto query = std::make_shared<const Document>(parse("{ __typename }").value());
  auto prepared = prepare_subscription(test_schema(), query, "", json::object());
  EXPECT_FALSE(prepared.plan.has_value());
  EXPECT_EQ(prepared.errors[0].message, "Only subscription operations can be subscribed to.");
  auto sub = std::make_shared<const Document>(
      parse("subscription($c: ID!) { orderUpdated(customerId: $c) { id } }").value());
  prepared = prepare_subscription(test_schema(), sub, "", json::object());
  EXPECT_FALSE(prepared.plan.has_value());
  EXPECT_EQ(prepared.errors[0].message,
            "Variable \"$c\" of required type \"ID!\" was not provided.");
}

}  // namespace
}  // namespace herald::graphql
