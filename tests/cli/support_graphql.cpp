#include "cli/support_graphql.hpp"

#include <fmt/format.h>

#include <fstream>

#include "server/http_client.hpp"
#include "support/net.hpp"

namespace herald::testing {

const char* const kShopDdl = R"sql(
CREATE TABLE tb_order (
  id          serial PRIMARY KEY,
  customer_id int NOT NULL,
  status      text NOT NULL DEFAULT 'open',
  total       numeric(12, 2) NOT NULL
);
CREATE TABLE tb_marker (id serial PRIMARY KEY);
CREATE VIEW v_order AS SELECT id, customer_id, status, total FROM tb_order ORDER BY id;
CREATE VIEW v_order_card AS
  SELECT id, customer_id,
         jsonb_build_object('id', id, 'label', 'order ' || id || ' of ' || customer_id) AS data
    FROM tb_order ORDER BY id;
CREATE FUNCTION fn_create_order(input jsonb) RETURNS tb_order LANGUAGE plpgsql AS $$
DECLARE r tb_order;
BEGIN
  INSERT INTO tb_order (customer_id, total)
    VALUES ((input->>'customerId')::int, (input->>'total')::numeric) RETURNING * INTO r;
  IF r.total < 0 THEN
    RAISE EXCEPTION 'total must not be negative, got %', r.total;
  END IF;
  RETURN r;
END $$;
CREATE FUNCTION fn_pay_order(input jsonb) RETURNS jsonb LANGUAGE plpgsql AS $$
DECLARE r tb_order;
BEGIN
  UPDATE tb_order SET status = 'paid' WHERE id = (input->>'id')::int RETURNING * INTO r;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'no order %', input->>'id';
  END IF;
  RETURN jsonb_build_object('id', r.id, 'customer_id', r.customer_id, 'status', r.status,
                            'total', r.total);
END $$;
)sql";

const char* const kShopSdl = R"graphql("An order of the shop."
type Order @table(name: "tb_order") {
  id: ID!
  customerId: Int!
  status: String!
  total: Float!
}

type OrderCard {
  id: ID!
  label: String!
}

input CreateOrderInput {
  customerId: Int!
  total: Float!
}

type Query {
  orders(customerId: Int, status: String, limit: Int, offset: Int): [Order!]!
    @view(name: "v_order")
  order(id: ID!): Order @view(name: "v_order")
  orderCards(customerId: Int): [OrderCard!]! @view(name: "v_order_card")
}

type Mutation {
  createOrder(input: CreateOrderInput!): Order @function(name: "fn_create_order")
  payOrder(id: ID!): Order @function(name: "fn_pay_order")
}
)graphql";

void HeraldGraphQLTest::start_graphql_herald(const std::string& rules,
                                             const std::string& observer_keys,
                                             const std::string& ddl, const std::string& sdl) {
  db_.exec(ddl);
  config_.emplace(db_.url(), nats_url(), "");
  std::ofstream(config_->dir() / "schema.graphql") << sdl;
  std::string text = rules;
  for (auto at = text.find("$PREFIX"); at != std::string::npos; at = text.find("$PREFIX", at)) {
    text.replace(at, 7, config_->prefix());
  }
  config_->rewrite(text, observer_keys);
  // pick_free_port() may hand out a port that another process binds before herald does.
  for (int attempt = 1; attempt <= 3; ++attempt) {
    port_ = pick_free_port();
    config_->set_sections(
        fmt::format("[server]\nlisten = \"127.0.0.1:{}\"\nschema = \"schema.graphql\"\n{}\n{}",
                    port_, server_keys_, more_sections_));
    herald_.emplace(config_->path());
    auto started = herald_->start();
    if (started) return;
    const bool port_taken = herald_->log_since_start().find("cannot listen") != std::string::npos;
    if (!port_taken || attempt == 3)
      FAIL() << started.message() << "\nconfig:\n" << config_->text();
  }
}

std::string HeraldGraphQLTest::graphql_url() const {
  return fmt::format("http://127.0.0.1:{}/graphql", port_);
}

GraphQLReply HeraldGraphQLTest::graphql(const std::string& query, const nlohmann::json& variables) {
  GraphQLReply reply;
  HttpClient client(port_);
  const nlohmann::json request = {{"query", query}, {"variables", variables}};
  HttpRequest post{http::verb::post, "/graphql", 11};
  post.set(http::field::content_type, "application/json");
  post.set(http::field::accept, "application/graphql-response+json");
  if (!authorization_.empty()) post.set(http::field::authorization, authorization_);
  post.body() = request.dump();
  auto response = client.send(std::move(post));
  if (!response) {
    ADD_FAILURE() << "no HTTP answer from herald: " << client.last_error() << "\n"
                  << (herald_ ? herald_->log_tail() : std::string());
    return reply;
  }
  reply.status = static_cast<int>(response->result_int());
  reply.content_type = std::string((*response)[http::field::content_type]);
  reply.www_authenticate = std::string((*response)[http::field::www_authenticate]);
  reply.text = response->body();
  reply.body = nlohmann::json::parse(reply.text, nullptr, false);
  return reply;
}

long count_rows(const TestDatabase& db, const std::string& table) {
  auto n = db.scalar("SELECT count(*) FROM " + table);
  return n ? std::stol(*n) : -1;
}

}  // namespace herald::testing
