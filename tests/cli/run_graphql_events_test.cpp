// GraphQL mutations through `herald run` end as events on NATS: a mutation's table write
// flows through capture like any other write, and an [[observers.publish]] mutation
// writes its own event inside its transaction, so a failed mutation leaves no trace.
#include <gtest/gtest.h>

#include "cli/support_graphql.hpp"

namespace herald::testing {
namespace {

class RunGraphQLEvents : public HeraldGraphQLTest {};

TEST_F(RunGraphQLEvents, MutationOverHttpCommitsAndItsTableEventReachesNats) {
  ASSERT_NO_FATAL_FAILURE(start_graphql_herald(R"(
[[observers]]
table = "tb_order"
event = "INSERT"
subject = "$PREFIX.order.created"
)"));

  const GraphQLReply reply = graphql(
      "mutation Make($input: CreateOrderInput!) { createOrder(input: $input) { id customerId "
      "total } }",
      {{"input", {{"customerId", 7}, {"total", 12.5}}}});
  ASSERT_EQ(reply.status, 200) << reply.text;
  ASSERT_TRUE(reply.body.is_object()) << reply.text;
  EXPECT_FALSE(reply.body.contains("errors")) << reply.text;
  const nlohmann::json& order = reply.body["data"]["createOrder"];
  EXPECT_EQ(order["customerId"], 7) << reply.text;
  EXPECT_EQ(order["total"], 12.5) << reply.text;
  ASSERT_TRUE(order["id"].is_string()) << reply.text;  // ID serializes as a string
  const std::string id = order["id"].get<std::string>();
  EXPECT_EQ(db_.scalar("SELECT customer_id FROM tb_order WHERE id = " + id), "7");

  auto messages = events(1);
  ASSERT_EQ(messages.size(), 1u) << describe(messages);
  EXPECT_TRUE(has_envelope(messages[0],
                           {prefix() + ".order.created", "order", "created", "public.tb_order"}));
  const nlohmann::json& entity = messages[0].body["entity"];
  EXPECT_EQ(entity["id"].dump(), id) << messages[0].data;
  EXPECT_EQ(entity["customer_id"], 7) << messages[0].data;
  EXPECT_EQ(entity["status"], "open") << messages[0].data;
  EXPECT_EQ(entity["total"], 12.5) << messages[0].data;

  // SIGTERM stops the HTTP server, then the GraphQL workers, then capture: exit 0.
  auto status = herald_->terminate();
  ASSERT_TRUE(status) << "herald run did not stop on SIGTERM:\n" << herald_->log_tail();
  EXPECT_TRUE(status->exited_with(0)) << status->describe() << "\n" << herald_->log_tail();
}

TEST_F(RunGraphQLEvents, PublishedMutationEmitsItsEventAndAFailedOneNeither) {
  // Only the marker table is observed: every event before the marker's is a mutation's.
  ASSERT_NO_FATAL_FAILURE(start_graphql_herald(R"(
[[observers]]
table = "tb_marker"
event = "INSERT"

[[observers.publish]]
mutation = "createOrder"
subject = "$PREFIX.order.placed"
)"));

  const GraphQLReply ok =
      graphql("mutation { createOrder(input: {customerId: 3, total: 40}) { id status } }");
  ASSERT_EQ(ok.status, 200) << ok.text;
  ASSERT_FALSE(ok.body.contains("errors")) << ok.text;
  const std::string id = ok.body["data"]["createOrder"]["id"].get<std::string>();

  // fn_create_order inserts its row and then raises: the insert and the publish message
  // must both roll back.
  const GraphQLReply failed =
      graphql("mutation { createOrder(input: {customerId: 4, total: -1}) { id } }");
  ASSERT_EQ(failed.status, 200) << failed.text;
  ASSERT_TRUE(failed.body.contains("errors")) << failed.text;
  EXPECT_EQ(failed.body["data"]["createOrder"], nullptr) << failed.text;
  EXPECT_EQ(count_rows(db_, "tb_order"), 1);
  EXPECT_EQ(count_rows(db_, "tb_order WHERE customer_id = 4"), 0);

  auto messages = events_through_marker("tb_marker", 1);
  ASSERT_EQ(messages.size(), 2u) << describe(messages);
  const StreamMessage& published = messages[0];
  const nlohmann::json& e = published.body;
  EXPECT_EQ(published.subject, prefix() + ".order.placed") << published.data;
  EXPECT_EQ(e["event"], prefix() + ".order.placed") << published.data;
  EXPECT_EQ(e["operation"], "createOrder") << published.data;
  EXPECT_EQ(e["entity_type"], "order") << published.data;
  // The entity is the mutation's result as the function returned it (the row).
  EXPECT_EQ(e["entity"]["id"].dump(), id) << published.data;
  EXPECT_EQ(e["entity"]["customer_id"], 3) << published.data;
  EXPECT_EQ(e["entity"]["total"], 40) << published.data;
  EXPECT_EQ(e["entity_id"].dump(), id) << published.data;
  EXPECT_EQ(e["table"], nullptr) << published.data;  // no table wrote it
  EXPECT_EQ(nlohmann::json(published.msg_id), e["id"]) << published.data;
  EXPECT_TRUE(e["txid"].is_number_unsigned() && e["txid"].get<std::uint64_t>() > 0)
      << published.data;
}

TEST_F(RunGraphQLEvents, EachMutationFieldCommitsOnItsOwn) {
  ASSERT_NO_FATAL_FAILURE(start_graphql_herald(R"(
[[observers]]
table = "tb_order"
event = "INSERT"
subject = "$PREFIX.order.created"

[[observers]]
table = "tb_marker"
event = "INSERT"
)"));

  // Three fields, three transactions: the middle one fails, the others commit.
  const GraphQLReply reply = graphql(R"(mutation {
  first: createOrder(input: {customerId: 1, total: 1}) { id }
  second: createOrder(input: {customerId: 2, total: -2}) { id }
  third: createOrder(input: {customerId: 3, total: 3}) { id }
})");
  ASSERT_EQ(reply.status, 200) << reply.text;
  EXPECT_TRUE(reply.body["data"]["first"].is_object()) << reply.text;
  EXPECT_EQ(reply.body["data"]["second"], nullptr) << reply.text;
  EXPECT_TRUE(reply.body["data"]["third"].is_object()) << reply.text;
  ASSERT_EQ(reply.body["errors"].size(), 1u) << reply.text;
  EXPECT_EQ(reply.body["errors"][0]["path"], nlohmann::json::array({"second"})) << reply.text;

  auto messages = events_through_marker("tb_marker", 2);
  ASSERT_EQ(messages.size(), 3u) << describe(messages);
  EXPECT_EQ(messages[0].body["entity"]["customer_id"], 1) << describe(messages);
  EXPECT_EQ(messages[1].body["entity"]["customer_id"], 3) << describe(messages);
}

}  // namespace
}  // namespace herald::testing
