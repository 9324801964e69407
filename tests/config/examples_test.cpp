// The shipped examples load: the three from the observers guide, and the demo config.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "config_test_support.hpp"

namespace herald::config {
namespace {

using ::testing::ElementsAre;
using testing::env_of;
using testing::error_strings;
using testing::source_path;

const testing::Env kGuideEnv = {{"NATS_URL", "nats://127.0.0.1:4222"},
                                {"USER_CREATED_WEBHOOK_URL", "https://hooks.example.com/user"}};

Config load_example(const std::string& relative, const testing::Env& variables) {
  const LoadResult result = load_file(source_path(relative), env_of(variables));
  EXPECT_THAT(error_strings(result), ElementsAre());
  return result.config.value_or(Config{});
}

TEST(GuideExamples, NatsRules) {
  const Config config = load_example("examples/guide/nats.toml", kGuideEnv);
  const Observers& observers = config.observers;
  EXPECT_EQ(observers.backend, Backend::Nats);
  EXPECT_EQ(observers.nats_url, "nats://127.0.0.1:4222");
  ASSERT_EQ(observers.rules.size(), 2U);
  EXPECT_EQ(observers.rules[0].name, "tb_order:INSERT");
  EXPECT_EQ(observers.rules[0].subject, "fraiseql.order.created");
  EXPECT_EQ(observers.rules[1].name, "tb_order:UPDATE");
  EXPECT_EQ(observers.rules[1].events, std::vector<Operation>{Operation::Update});
  EXPECT_EQ(observers.rules[1].subject, "fraiseql.order.updated");
}

TEST(GuideExamples, WebhookRule) {
  const Config config = load_example("examples/guide/webhook.toml", kGuideEnv);
  EXPECT_EQ(config.observers.backend, Backend::Webhook);
  ASSERT_EQ(config.observers.rules.size(), 1U);
  const Rule& rule = config.observers.rules[0];
  EXPECT_EQ(rule.table, "tb_user");
  ASSERT_EQ(rule.actions.size(), 1U);
  EXPECT_EQ(rule.actions[0].url,
            (Secret{"https://hooks.example.com/user", "USER_CREATED_WEBHOOK_URL"}));
}

TEST(GuideExamples, Subscribe) {
  const Config config = load_example("examples/guide/subscribe.toml", kGuideEnv);
  ASSERT_EQ(config.observers.subscribe.size(), 1U);
  const Subscribe& subscribe = config.observers.subscribe[0];
  EXPECT_EQ(subscribe.subject, "fraiseql.order.created");
  EXPECT_EQ(subscribe.handler, "fn_reserve_inventory");
  EXPECT_EQ(subscribe.durable, "fn_reserve_inventory");
  EXPECT_EQ(subscribe.max_deliver, 10);
  EXPECT_TRUE(config.observers.rules.empty());
}

TEST(GuideExamples, WithoutTheirVariablesTheyNameWhatIsMissing) {
  const std::string path = source_path("examples/guide/webhook.toml");
  EXPECT_THAT(error_strings(load_file(path, env_of({}))),
              ElementsAre(path + ":8:11: environment variable USER_CREATED_WEBHOOK_URL named by "
                                 "'url_env' is not set"));
}

TEST(DemoExample, Loads) {
  const Config config = load_example("examples/fraiseql.toml",
                                     {{"DATABASE_URL", "postgres://herald@127.0.0.1:5432/demo"},
                                      {"NATS_URL", "nats://127.0.0.1:4222"},
                                      {"BILLING_WEBHOOK_URL", "http://127.0.0.1:9090/billing"},
                                      {"BILLING_WEBHOOK_SECRET", "whsec_ZGVtby1zZWNyZXQ="}});
  EXPECT_EQ(config.database.url->value, "postgres://herald@127.0.0.1:5432/demo");
  const Observers& observers = config.observers;
  EXPECT_EQ(observers.backend, Backend::Nats);
  EXPECT_EQ(observers.dlq_subject, "fraiseql.dead_letters");
  ASSERT_EQ(observers.rules.size(), 3U);
  EXPECT_EQ(observers.rules[1].changed, std::vector<std::string>{"status"});
  const Rule& billing = observers.rules[2];
  ASSERT_TRUE(billing.condition.has_value());
  ASSERT_EQ(billing.actions.size(), 1U);
  EXPECT_EQ(billing.actions[0].secret->from_env, "BILLING_WEBHOOK_SECRET");
  EXPECT_EQ(billing.actions[0].retry.max_attempts, 5);
  EXPECT_EQ(billing.actions[0].retry.max_delay_ms, 60000);
  ASSERT_EQ(observers.subscribe.size(), 1U);
  EXPECT_EQ(observers.subscribe[0].durable, "inventory");
}

}  // namespace
}  // namespace herald::config
