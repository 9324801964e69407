// Configurations that load: defaults, every key's value, derived names and positions.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "config_test_support.hpp"

namespace herald::config {
namespace {

using ::testing::ElementsAre;
using testing::Env;
using testing::env_of;
using testing::error_strings;

Config loaded(std::string_view text, Env variables = {}) {
  const LoadResult result = load_string(text, "fraiseql.toml", env_of(std::move(variables)));
  EXPECT_THAT(error_strings(result), ElementsAre());
  return result.config.value_or(Config{});
}

TEST(GoodConfig, EmptyFileHasEveryDefault) {
  const Config config = loaded("");
  EXPECT_EQ(config.path, "fraiseql.toml");
  EXPECT_FALSE(config.database.url.has_value());
  EXPECT_FALSE(config.server.has_value());
  EXPECT_FALSE(config.auth.has_value());
  const Observers& observers = config.observers;
  EXPECT_EQ(observers.backend, Backend::Nats);
  EXPECT_FALSE(observers.nats_url.has_value());
  EXPECT_FALSE(observers.redis_url.has_value());
  EXPECT_EQ(observers.subject_prefix, "fraiseql");
  EXPECT_TRUE(observers.jetstream);
  EXPECT_EQ(observers.stream, "FRAISEQL");
  EXPECT_EQ(observers.redis_mode, RedisMode::Stream);
  EXPECT_EQ(observers.redis_maxlen, 1000000);
  EXPECT_EQ(observers.format, Format::Fraiseql);
  EXPECT_EQ(observers.slot, "herald");
  EXPECT_EQ(observers.publication, "herald");
  EXPECT_EQ(observers.batch_window_ms, 5);
  EXPECT_EQ(observers.retry.max_attempts, 10);
  EXPECT_EQ(observers.retry.initial_delay_ms, 500);
  EXPECT_EQ(observers.retry.max_delay_ms, 300000);
  EXPECT_EQ(observers.retry.backoff, Backoff::Exponential);
  EXPECT_EQ(observers.dlq_subject, "");
  EXPECT_TRUE(observers.rules.empty());
  EXPECT_TRUE(observers.publish.empty());
  EXPECT_TRUE(observers.subscribe.empty());
}

TEST(GoodConfig, DatabaseUrlFallsBackToDatabaseUrlVariable) {
  const Config config = loaded("", {{"DATABASE_URL", "postgres://env/app"}});
  ASSERT_TRUE(config.database.url.has_value());
  EXPECT_EQ(config.database.url->value, "postgres://env/app");
  EXPECT_EQ(config.database.url->from_env, "DATABASE_URL");
}

TEST(GoodConfig, DatabaseUrlInTheFileWins) {
  const Config config = loaded("[database]\nurl = \"postgres://file/app\"\n",
                               {{"DATABASE_URL", "postgres://env/app"}});
  EXPECT_EQ(config.database.url, (Secret{"postgres://file/app", ""}));
}

TEST(GoodConfig, DatabaseUrlEnvNamesTheVariable) {
  const Config config =
      loaded("[database]\nurl_env = \"APP_PG\"\n", {{"APP_PG", "host=/tmp dbname=app"}});
  EXPECT_EQ(config.database.url, (Secret{"host=/tmp dbname=app", "APP_PG"}));
}

TEST(GoodConfig, EveryObserversKey) {
  const Config config = loaded(R"([observers]
backend = "redis"
nats_url = "nats://n:4222"
redis_url = "redis://r:6379"
subject_prefix = "shop.events"
jetstream = false
stream = "SHOP"
redis_mode = "pubsub"
redis_maxlen = 5000
format = "cloudevents"
slot = "shop_slot"
publication = "shop_pub"
batch_window_ms = 0
[observers.retry]
max_attempts = 4
initial_delay_ms = 0
max_delay_ms = 0
backoff = "fixed"
[observers.dlq]
subject = "shop.dead"
)");
  const Observers& observers = config.observers;
  EXPECT_EQ(observers.backend, Backend::Redis);
  EXPECT_EQ(observers.nats_url, "nats://n:4222");
  EXPECT_EQ(observers.redis_url, "redis://r:6379");
  EXPECT_EQ(observers.subject_prefix, "shop.events");
  EXPECT_FALSE(observers.jetstream);
  EXPECT_EQ(observers.stream, "SHOP");
  EXPECT_EQ(observers.redis_mode, RedisMode::PubSub);
  EXPECT_EQ(observers.redis_maxlen, 5000);
  EXPECT_EQ(observers.format, Format::CloudEvents);
  EXPECT_EQ(observers.slot, "shop_slot");
  EXPECT_EQ(observers.publication, "shop_pub");
  EXPECT_EQ(observers.batch_window_ms, 0);
  EXPECT_EQ(observers.retry, (RetryPolicy{4, 0, 0, Backoff::Fixed}));
  EXPECT_EQ(observers.dlq_subject, "shop.dead");
}

TEST(GoodConfig, RuleDefaults) {
  const Config config = loaded(R"([observers]
nats_url = "nats://n:4222"
[[observers]]
table = "tb_order"
event = "INSERT"
)");
  ASSERT_EQ(config.observers.rules.size(), 1U);
  const Rule& rule = config.observers.rules[0];
  EXPECT_EQ(rule.name, "tb_order:INSERT");
  EXPECT_FALSE(rule.name_given);
  EXPECT_EQ(rule.schema, "public");
  EXPECT_EQ(rule.table, "tb_order");
  EXPECT_EQ(rule.events, std::vector<Operation>{Operation::Insert});
  EXPECT_FALSE(rule.subject.has_value());
  EXPECT_FALSE(rule.condition.has_value());
  EXPECT_TRUE(rule.changed.empty());
  EXPECT_TRUE(rule.actions.empty());
  EXPECT_EQ(rule.pos, (SourcePos{"fraiseql.toml", 3, 1}));
}

TEST(GoodConfig, RuleWithEveryKey) {
  const Config config = loaded(R"([observers]
nats_url = "nats://n:4222"
[[observers]]
table = "sales.tb_order"
event = ["INSERT", "UPDATE"]
subject = "sales.order.changed"
condition = "status == 'paid'"
changed = ["status", "total"]
name = "paid-orders"
)");
  const Rule& rule = config.observers.rules.at(0);
  EXPECT_EQ(rule.name, "paid-orders");
  EXPECT_TRUE(rule.name_given);
  EXPECT_EQ(rule.schema, "sales");
  EXPECT_EQ(rule.table, "tb_order");
  EXPECT_EQ(rule.events, (std::vector<Operation>{Operation::Insert, Operation::Update}));
  EXPECT_EQ(rule.subject, "sales.order.changed");
  EXPECT_EQ(rule.condition, "status == 'paid'");
  EXPECT_EQ(rule.condition_pos, (SourcePos{"fraiseql.toml", 7, 14}));
  EXPECT_EQ(rule.changed, (std::vector<std::string>{"status", "total"}));
  EXPECT_EQ(rule.changed_pos, (SourcePos{"fraiseql.toml", 8, 11}));
}

TEST(GoodConfig, DerivedNamesKeepTheEventsAsWritten) {
  const Config config = loaded(R"([observers]
nats_url = "nats://n:4222"
[[observers]]
table = "tb_order"
event = "*"
[[observers]]
table = "sales.tb_order"
event = ["DELETE", "INSERT"]
)");
  const auto& rules = config.observers.rules;
  ASSERT_EQ(rules.size(), 2U);
  EXPECT_EQ(rules[0].name, "tb_order:*");
  EXPECT_EQ(rules[0].events,
            (std::vector<Operation>{Operation::Insert, Operation::Update, Operation::Delete}));
  EXPECT_EQ(rules[1].name, "sales.tb_order:DELETE,INSERT");
}

TEST(GoodConfig, ConditionPositionIsItsFirstCharacter) {
  const Config config = loaded(R"([observers]
nats_url = "nats://n:4222"
[[observers]]
table = "a"
event = "INSERT"
condition = 'total > 1'
[[observers]]
table = "b"
event = "INSERT"
  condition = """
total > 2"""
[[observers]]
table = "c"
event = "INSERT"
condition = """total > 3"""
)");
  const auto& rules = config.observers.rules;
  ASSERT_EQ(rules.size(), 3U);
  EXPECT_EQ(rules[0].condition_pos, (SourcePos{"fraiseql.toml", 6, 14}));
  EXPECT_EQ(rules[1].condition, "total > 2");
  EXPECT_EQ(rules[1].condition_pos, (SourcePos{"fraiseql.toml", 11, 1}));
  EXPECT_EQ(rules[2].condition_pos, (SourcePos{"fraiseql.toml", 15, 16}));
}

TEST(GoodConfig, WebhookActionWithEveryKey) {
  const Config config = loaded(R"([observers]
backend = "webhook"
[observers.retry]
max_attempts = 6
[[observers]]
table = "tb_order"
event = "UPDATE"
[[observers.actions]]
type = "webhook"
url_env = "ORDER_WEBHOOK_URL"
headers = { "X-Team" = "billing", "X-Env" = "${STAGE:-dev}" }
secret_env = "ORDER_WEBHOOK_SECRET"
timeout_ms = 2500
[observers.actions.retry]
initial_delay_ms = 100
backoff = "linear"
)",
                               {{"ORDER_WEBHOOK_URL", "https://billing.example/hook"},
                                {"ORDER_WEBHOOK_SECRET", "whsec_c2VjcmV0"}});
  const Action& action = config.observers.rules.at(0).actions.at(0);
  EXPECT_EQ(action.type, ActionType::Webhook);
  EXPECT_EQ(action.url, (Secret{"https://billing.example/hook", "ORDER_WEBHOOK_URL"}));
  EXPECT_EQ(action.secret, (Secret{"whsec_c2VjcmV0", "ORDER_WEBHOOK_SECRET"}));
  EXPECT_EQ(action.headers,
            (std::map<std::string, std::string>{{"X-Env", "dev"}, {"X-Team", "billing"}}));
  EXPECT_EQ(action.timeout_ms, 2500);
  EXPECT_FALSE(action.subject.has_value());
  // Keys the action leaves out come from [observers.retry], then the built-in defaults.
  EXPECT_EQ(action.retry, (RetryPolicy{6, 100, 300000, Backoff::Linear}));
  EXPECT_TRUE(action.retry_overridden);
  EXPECT_EQ(action.pos, (SourcePos{"fraiseql.toml", 8, 1}));
}

TEST(GoodConfig, ActionDefaults) {
  const Config config = loaded(R"([observers]
backend = "webhook"
nats_url = "nats://n:4222"
[[observers]]
table = "tb_order"
event = "INSERT"
[[observers.actions]]
url = "http://127.0.0.1:9000/hook"
[[observers.actions]]
type = "nats"
subject = "billing.order.created"
)");
  const auto& actions = config.observers.rules.at(0).actions;
  ASSERT_EQ(actions.size(), 2U);
  EXPECT_EQ(actions[0].type, ActionType::Webhook);
  EXPECT_EQ(actions[0].url, (Secret{"http://127.0.0.1:9000/hook", ""}));
  EXPECT_FALSE(actions[0].secret.has_value());
  EXPECT_TRUE(actions[0].headers.empty());
  EXPECT_EQ(actions[0].timeout_ms, 10000);
  EXPECT_EQ(actions[0].retry, RetryPolicy{});
  EXPECT_FALSE(actions[0].retry_overridden);
  EXPECT_EQ(actions[1].type, ActionType::Nats);
  EXPECT_EQ(actions[1].subject, "billing.order.created");
  EXPECT_FALSE(actions[1].url.has_value());
}

TEST(GoodConfig, PublishSubjectDefaultsToPrefixAndMutation) {
  const Config config = loaded(R"([observers]
nats_url = "nats://n:4222"
subject_prefix = "shop"
[[observers.publish]]
mutation = "createOrder"
[[observers.publish]]
mutation = "cancelOrder"
subject = "shop.order.cancelled"
)");
  const auto& publish = config.observers.publish;
  ASSERT_EQ(publish.size(), 2U);
  EXPECT_EQ(publish[0].mutation, "createOrder");
  EXPECT_EQ(publish[0].subject, "shop.createOrder");
  EXPECT_EQ(publish[0].pos, (SourcePos{"fraiseql.toml", 4, 1}));
  EXPECT_EQ(publish[1].subject, "shop.order.cancelled");
}

TEST(GoodConfig, SubscribeDurableDerivedFromHandler) {
  const Config config = loaded(R"([observers]
nats_url = "nats://n:4222"
[[observers.subscribe]]
subject = "orders.*.created"
handler = "inventory.fn_reserve-stock"
[[observers.subscribe]]
subject = "orders.>"
handler = "fn_audit"
durable = "audit-v2"
max_deliver = 3
)");
  const auto& subscribe = config.observers.subscribe;
  ASSERT_EQ(subscribe.size(), 2U);
  EXPECT_EQ(subscribe[0].subject, "orders.*.created");
  EXPECT_EQ(subscribe[0].handler, "inventory.fn_reserve-stock");
  EXPECT_EQ(subscribe[0].durable, "inventory_fn_reserve-stock");
  EXPECT_EQ(subscribe[0].max_deliver, 10);
  EXPECT_EQ(subscribe[1].durable, "audit-v2");
  EXPECT_EQ(subscribe[1].max_deliver, 3);
}

TEST(GoodConfig, AuthSecretComesFromItsVariable) {
  const Config config =
      loaded("[auth]\njwt_secret_env = \"JWT_SECRET\"\n", {{"JWT_SECRET", "hs256-key"}});
  ASSERT_TRUE(config.auth.has_value());
  EXPECT_EQ(config.auth->jwt_secret, (Secret{"hs256-key", "JWT_SECRET"}));
}

TEST(GoodConfig, RedisBackendRules) {
  const Config config = loaded(R"([observers]
backend = "redis"
redis_url = "${REDIS_URL}"
[[observers]]
table = "tb_order"
event = "DELETE"
)",
                               {{"REDIS_URL", "redis://127.0.0.1:6379/0"}});
  EXPECT_EQ(config.observers.redis_url, "redis://127.0.0.1:6379/0");
  EXPECT_EQ(config.observers.rules.at(0).events, std::vector<Operation>{Operation::Delete});
}

TEST(GoodConfig, WindowsLineEndings) {
  const std::string text =
      "[observers]\r\nnats_url = \"nats://n:4222\"\r\n[[observers]]\r\ntable = \"tb_order\"\r\n"
      "event = \"INSERT\"\r\ncondition = \"total > 1\"\r\n";
  const Config config = loaded(text);
  const Rule& rule = config.observers.rules.at(0);
  EXPECT_EQ(rule.name, "tb_order:INSERT");
  EXPECT_EQ(rule.condition, "total > 1");
  EXPECT_EQ(rule.condition_pos, (SourcePos{"fraiseql.toml", 6, 14}));
}

}  // namespace
}  // namespace herald::config
