// GraphQL over HTTP against a real PostgreSQL: queries and mutations through the
// server, status codes per media type, GET rules, and the graphql-http audit.
#include <gtest/gtest.h>

#include <future>

#include <nlohmann/json.hpp>

#include "server/graphql_handler.hpp"
#include "server/http_client.hpp"
#include "server/http_server.hpp"
#include "server/pg_source.hpp"
#include "support/servers.hpp"

namespace herald::server {
namespace {

using json = nlohmann::json;
using herald::testing::HttpClient;

constexpr std::string_view kSdl = R"(
type Order @table(name: "tb_order") { id: ID! customerId: Int status: String }
type Query {
  orders(customerId: ID, limit: Int): [Order!]! @view(name: "v_order")
  slow: [Order!]! @view(name: "v_slow")
}
type Mutation {
  createOrder(customerId: Int!): Order @function(name: "fn_create_order")
  failOrder(customerId: Int!): Order @function(name: "fn_fail")
}
)";

constexpr std::string_view kDdl = R"(
CREATE TABLE tb_order (id serial PRIMARY KEY, customer_id int NOT NULL,
                       status text NOT NULL DEFAULT 'new');
CREATE VIEW v_order AS SELECT id, customer_id, status FROM tb_order ORDER BY id;
CREATE VIEW v_slow AS SELECT id, customer_id, status FROM tb_order, pg_sleep(1) ORDER BY id;
CREATE FUNCTION fn_create_order(args jsonb) RETURNS tb_order LANGUAGE sql AS $$
  INSERT INTO tb_order (customer_id) VALUES ((args->>'customerId')::int) RETURNING * $$;
CREATE FUNCTION fn_fail(args jsonb) RETURNS jsonb LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO tb_order (customer_id) VALUES ((args->>'customerId')::int);
  RAISE EXCEPTION 'customer % is closed', args->>'customerId';
END $$;
)";

class GraphQLHttp : public ::testing::Test {
 protected:
  void start(GraphQLHandler::Options options = {}, Settings settings = {}) {
    db_.exec(kDdl);
    auto built = graphql::build_schema(kSdl);
    ASSERT_TRUE(built.ok()) << built.errors[0].message;
    handler_ = std::make_unique<GraphQLHandler>(built.schema, testing::pg_source_factory(db_.url()),
                                                options);
    Router router;
    handler_->add_routes(router);
    settings.port = 0;
    auto started = HttpServer::start(settings, std::move(router));
    ASSERT_TRUE(started.ok()) << started.error().message;
    server_ = std::move(*started);
  }
  void TearDown() override {
    if (server_) server_->stop();
    if (handler_) handler_->stop();
  }

  std::optional<herald::testing::HttpResponse> post(const json& body,
                                                    const std::string& accept = "") {
    HttpClient client(server_->port());
    return client.post("/graphql", "application/json", body.dump(), accept);
  }

  herald::testing::TestDatabase db_;
  std::unique_ptr<GraphQLHandler> handler_;
  std::unique_ptr<HttpServer> server_;
};

constexpr const char* kGraphQLResponse = "application/graphql-response+json";

TEST_F(GraphQLHttp, MutationCommitsAndQueryReadsIt) {
  start();
  auto created = post({{"query", "mutation { createOrder(customerId: 7) { id customerId } }"}});
  ASSERT_TRUE(created);
  EXPECT_EQ(created->result(), http::status::ok);
  EXPECT_EQ((*created)[http::field::content_type], "application/json; charset=utf-8");
  EXPECT_EQ(created->body(), R"({"data":{"createOrder":{"id":"1","customerId":7}}})");
  auto read = post({{"query", "query Q($c: ID) { orders(customerId: $c) { id status } }"},
                    {"variables", {{"c", "7"}}},
                    {"operationName", "Q"}},
                   kGraphQLResponse);
  ASSERT_TRUE(read);
  EXPECT_EQ(read->result(), http::status::ok);
  EXPECT_EQ((*read)[http::field::content_type], "application/graphql-response+json; charset=utf-8");
  EXPECT_EQ(read->body(), R"({"data":{"orders":[{"id":"1","status":"new"}]}})");
}

TEST_F(GraphQLHttp, FailingMutationIsAFieldErrorWithPathAndCommitsNothing) {
  start();
  auto response =
      post({{"query", "mutation {\n  failOrder(customerId: 3) { id }\n}"}}, kGraphQLResponse);
  ASSERT_TRUE(response);
  EXPECT_EQ(response->result(), http::status::ok);  // execution started: data is present
  auto body = json::parse(response->body());
  EXPECT_TRUE(body["data"].contains("failOrder"));
  ASSERT_EQ(body["errors"].size(), 1u);
  EXPECT_NE(body["errors"][0]["message"].get<std::string>().find("customer 3 is closed"),
            std::string::npos);
  EXPECT_EQ(body["errors"][0]["path"], json::array({"failOrder"}));
  EXPECT_EQ(body["errors"][0]["locations"], json::parse(R"([{"line":2,"column":3}])"));
  EXPECT_EQ(db_.scalar("SELECT count(*) FROM tb_order"), "0");
}

TEST_F(GraphQLHttp, StatusOfRequestErrorsDependsOnTheMediaType) {
  start();
  const json syntax = {{"query", "{ orders { id }"}};
  const json invalid = {{"query", "{ nope }"}};
  const json coercion = {{"query", "query ($c: Int!) { orders { id } }"},
                         {"variables", {{"c", "x"}}}};
  for (const auto& body : {syntax, invalid, coercion}) {
    auto as_json = post(body, "application/json");
    ASSERT_TRUE(as_json);
    EXPECT_EQ(as_json->result(), http::status::ok) << body;
    auto as_graphql = post(body, kGraphQLResponse);
    ASSERT_TRUE(as_graphql);
    EXPECT_EQ(as_graphql->result(), http::status::bad_request) << body;
    auto parsed = json::parse(as_graphql->body());
    EXPECT_FALSE(parsed.contains("data")) << parsed;
    EXPECT_FALSE(parsed["errors"].empty());
  }
  auto located = json::parse(post(syntax)->body());
  EXPECT_EQ(located["errors"][0]["locations"], json::parse(R"([{"line":1,"column":16}])"));
}

TEST_F(GraphQLHttp, GetRunsQueriesAndRefusesMutations) {
  start();
  HttpClient client(server_->port());
  auto query = client.get("/graphql?query=%7B%20orders%20%7B%20id%20%7D%20%7D");
  ASSERT_TRUE(query) << client.last_error();
  EXPECT_EQ(query->result(), http::status::ok);
  EXPECT_EQ(query->body(), R"({"data":{"orders":[]}})");
  auto mutation = client.get(
      "/graphql?query=mutation%20%7B%20createOrder(customerId%3A%201)%20%7B%20id%20%7D%20%7D");
  ASSERT_TRUE(mutation) << client.last_error();
  EXPECT_EQ(mutation->result(), http::status::method_not_allowed);
  EXPECT_EQ((*mutation)[http::field::allow], "POST");
  EXPECT_EQ(db_.scalar("SELECT count(*) FROM tb_order"), "0");
}

TEST_F(GraphQLHttp, WrongContentTypeAcceptOrBodyAreRefused) {
  start();
  HttpClient client(server_->port());
  auto text = client.post("/graphql", "text/plain", R"({"query":"{ orders { id } }"})");
  ASSERT_TRUE(text);
  EXPECT_EQ(text->result(), http::status::unsupported_media_type);
  auto html =
      client.post("/graphql", "application/json", R"({"query":"{ orders { id } }"})", "text/html");
  ASSERT_TRUE(html);
  EXPECT_EQ(html->result(), http::status::not_acceptable);
  auto broken = client.post("/graphql", "application/json", "{ \"not a JSON");
  ASSERT_TRUE(broken);
  EXPECT_EQ(broken->result(), http::status::bad_request);
  auto missing = client.post("/graphql", "application/json", R"({"variables":{}})");
  ASSERT_TRUE(missing);
  EXPECT_EQ(missing->result(), http::status::bad_request);
  auto put = client.send({http::verb::put, "/graphql", 11});
  ASSERT_TRUE(put);
  EXPECT_EQ(put->result(), http::status::method_not_allowed);
}

TEST_F(GraphQLHttp, FullQueueIs503AndSlowRequestIs504) {
  GraphQLHandler::Options options;
  options.workers = 1;
  options.queue_limit = 1;
  Settings settings;
  settings.handler_timeout = std::chrono::milliseconds(500);
  start(options, settings);
  const json slow = {{"query", "{ slow { id } }"}};
  db_.exec("INSERT INTO tb_order (customer_id) VALUES (1)");
  // The one worker is busy for 1 s in pg_sleep; of the next two, one waits in the queue
  // and one finds it full. The running and the waiting one pass the 500 ms deadline.
  auto running = std::async(std::launch::async, [&] { return post(slow); });
  ASSERT_TRUE(herald::testing::eventually(
      [&] {
        return db_.scalar(
                   "SELECT count(*) FROM pg_stat_activity WHERE state = 'active' "
                   "AND query LIKE '%v_slow%' AND pid <> pg_backend_pid()") == "1";
      },
      std::chrono::seconds(5)));
  auto b = std::async(std::launch::async, [&] { return post(slow); });
  auto c = std::async(std::launch::async, [&] { return post(slow); });
  auto first = running.get();
  auto second = b.get();
  auto third = c.get();
  ASSERT_TRUE(first && second && third);
  EXPECT_EQ(first->result(), http::status::gateway_timeout);
  auto refused = second->result() == http::status::service_unavailable ? second : third;
  auto waited = second->result() == http::status::service_unavailable ? third : second;
  EXPECT_EQ(refused->result(), http::status::service_unavailable);
  EXPECT_EQ((*refused)[http::field::retry_after], "1");
  EXPECT_EQ(waited->result(), http::status::gateway_timeout);
}

}  // namespace
}  // namespace herald::server
