// What GraphQL clients send to `herald run` over HTTP: a failing mutation's located error
// (and nothing committed), queries that filter, page and project, and the introspection
// query GraphiQL sends when it opens.
#include <gtest/gtest.h>

#include <algorithm>

#include "cli/support_graphql.hpp"

namespace herald::testing {
namespace {

// graphql-js 16's getIntrospectionQuery() with every option on, as GraphiQL asks it
// (descriptions, specifiedByURL, isRepeatable, the schema's description, deprecated
// input values).
constexpr const char* kGraphiQLIntrospection =
    "query IntrospectionQuery{__schema{description queryType{name kind}mutationType{name"
    " kind}subscriptionType{name kind}types{...FullType}directives{name description"
    " isRepeatable locations args(includeDeprecated:true){...InputValue}}}}fragment FullType"
    " on __Type{kind name description specifiedByURL fields(includeDeprecated:true){name"
    " description args(includeDeprecated:true){...InputValue}type{...TypeRef}isDeprecated"
    " deprecationReason}inputFields(includeDeprecated:true){...InputValue}interfaces{...TypeRef}"
    "enumValues(includeDeprecated:true){name"
    " description isDeprecated deprecationReason}possibleTypes{...TypeRef}}fragment InputValue"
    " on __InputValue{name description type{...TypeRef}defaultValue isDeprecated"
    " deprecationReason}fragment TypeRef on __Type{kind name ofType{name kind ofType{name kind"
    " ofType{name kind ofType{name kind ofType{name kind ofType{name kind ofType{name kind"
    " ofType{name kind ofType{name kind}}}}}}}}}}";

constexpr const char* kOrdersRule = R"(
[[observers]]
table = "tb_marker"
event = "INSERT"
)";

class RunGraphQLHttp : public HeraldGraphQLTest {};

const nlohmann::json* find_named(const nlohmann::json& list, const std::string& name) {
  auto it = std::find_if(list.begin(), list.end(),
                         [&](const nlohmann::json& item) { return item["name"] == name; });
  return it == list.end() ? nullptr : &*it;
}

TEST_F(RunGraphQLHttp, FailingFunctionCommitsNothingAndAnswersALocatedError) {
  ASSERT_NO_FATAL_FAILURE(start_graphql_herald(kOrdersRule));

  const GraphQLReply reply =
      graphql("mutation {\n  createOrder(input: {customerId: 9, total: -5}) {\n    id\n  }\n}");
  // Execution started: 200 with graphql-response+json, the field null, its error located.
  ASSERT_EQ(reply.status, 200) << reply.text;
  EXPECT_EQ(reply.content_type.rfind("application/graphql-response+json", 0), 0u)
      << reply.content_type;
  ASSERT_TRUE(reply.body.is_object()) << reply.text;
  EXPECT_EQ(reply.body["data"], nlohmann::json({{"createOrder", nullptr}})) << reply.text;
  ASSERT_EQ(reply.body["errors"].size(), 1u) << reply.text;
  const nlohmann::json& error = reply.body["errors"][0];
  // PostgreSQL's own words from RAISE EXCEPTION, never the SQL herald wrote.
  EXPECT_EQ(error["message"], "total must not be negative, got -5.00") << reply.text;
  EXPECT_EQ(error["locations"], nlohmann::json::parse(R"([{"line":2,"column":3}])")) << reply.text;
  EXPECT_EQ(error["path"], nlohmann::json::array({"createOrder"})) << reply.text;
  EXPECT_EQ(count_rows(db_, "tb_order"), 0) << "the function's INSERT committed";
}

TEST_F(RunGraphQLHttp, QueriesFilterPageAndProject) {
  ASSERT_NO_FATAL_FAILURE(start_graphql_herald(kOrdersRule));
  db_.exec(
      "INSERT INTO tb_order (customer_id, status, total) VALUES "
      "(7, 'open', 1), (8, 'open', 2), (7, 'paid', 3), (7, 'open', 4), (7, 'open', 5)");

  // Equality filters from arguments (camelCase -> snake_case), limit and offset, and only
  // the selected fields, under their aliases, in the selection's order.
  GraphQLReply reply = graphql(
      "query Page($customer: Int) { orders(customerId: $customer, status: \"open\", limit: 2, "
      "offset: 1) { total ref: id } }",
      {{"customer", 7}});
  ASSERT_EQ(reply.status, 200) << reply.text;
  EXPECT_EQ(reply.text, R"({"data":{"orders":[{"total":4.0,"ref":"4"},{"total":5.0,"ref":"5"}]}})");

  // A non-list field reads one row, null when none matches.
  reply = graphql("{ hit: order(id: 3) { status customerId } miss: order(id: 99) { id } }");
  ASSERT_EQ(reply.status, 200) << reply.text;
  EXPECT_EQ(reply.body["data"],
            nlohmann::json::parse(R"({"hit":{"status":"paid","customerId":7},"miss":null})"))
      << reply.text;

  // A view with a `data jsonb` column serves that column as the row.
  reply = graphql("{ orderCards(customerId: 8) { label __typename } }");
  ASSERT_EQ(reply.status, 200) << reply.text;
  EXPECT_EQ(reply.body["data"],
            nlohmann::json::parse(
                R"({"orderCards":[{"label":"order 2 of 8","__typename":"OrderCard"}]})"))
      << reply.text;

  // A request that does not validate never reaches the database: 400, located.
  reply = graphql("{ orders { nope } }");
  EXPECT_EQ(reply.status, 400) << reply.text;
  EXPECT_EQ(reply.body["errors"][0]["message"], "Cannot query field \"nope\" on type \"Order\".")
      << reply.text;
  EXPECT_EQ(reply.body["errors"][0]["locations"],
            nlohmann::json::parse(R"([{"line":1,"column":12}])"))
      << reply.text;
}

TEST_F(RunGraphQLHttp, AnswersGraphiQLsIntrospectionQuery) {
  ASSERT_NO_FATAL_FAILURE(start_graphql_herald(kOrdersRule));

  const GraphQLReply reply = graphql(kGraphiQLIntrospection);
  ASSERT_EQ(reply.status, 200) << reply.text;
  ASSERT_TRUE(reply.body.is_object()) << reply.text;
  ASSERT_FALSE(reply.body.contains("errors")) << reply.text;
  const nlohmann::json& schema = reply.body["data"]["__schema"];
  EXPECT_EQ(schema["queryType"], nlohmann::json::parse(R"({"name":"Query","kind":"OBJECT"})"));
  EXPECT_EQ(schema["mutationType"],
            nlohmann::json::parse(R"({"name":"Mutation","kind":"OBJECT"})"));
  EXPECT_EQ(schema["subscriptionType"], nullptr);

  const nlohmann::json* order = find_named(schema["types"], "Order");
  ASSERT_NE(order, nullptr) << reply.text;
  EXPECT_EQ((*order)["kind"], "OBJECT");
  EXPECT_EQ((*order)["description"], "An order of the shop.");
  const nlohmann::json* id = find_named((*order)["fields"], "id");
  ASSERT_NE(id, nullptr) << order->dump();
  EXPECT_EQ((*id)["type"]["kind"], "NON_NULL");
  EXPECT_EQ((*id)["type"]["ofType"]["name"], "ID");
  EXPECT_NE(find_named((*order)["fields"], "customerId"), nullptr) << order->dump();

  const nlohmann::json* input = find_named(schema["types"], "CreateOrderInput");
  ASSERT_NE(input, nullptr) << reply.text;
  EXPECT_EQ((*input)["kind"], "INPUT_OBJECT");
  EXPECT_EQ((*input)["inputFields"].size(), 2u);

  const nlohmann::json* mutation = find_named(schema["types"], "Mutation");
  ASSERT_NE(mutation, nullptr) << reply.text;
  const nlohmann::json* create = find_named((*mutation)["fields"], "createOrder");
  ASSERT_NE(create, nullptr) << mutation->dump();
  EXPECT_EQ((*create)["args"][0]["name"], "input");
  EXPECT_EQ((*create)["args"][0]["type"]["ofType"]["name"], "CreateOrderInput");

  for (const char* builtin : {"String", "Boolean", "__Schema", "__Type", "__Directive"}) {
    EXPECT_NE(find_named(schema["types"], builtin), nullptr) << builtin;
  }
  for (const char* directive : {"include", "skip", "deprecated", "specifiedBy"}) {
    const nlohmann::json* d = find_named(schema["directives"], directive);
    ASSERT_NE(d, nullptr) << directive;
    EXPECT_TRUE((*d)["isRepeatable"].is_boolean()) << d->dump();
    EXPECT_TRUE((*d)["locations"].is_array()) << d->dump();
  }
}

}  // namespace
}  // namespace herald::testing
