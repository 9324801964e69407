// Bad [[observers.actions]], and keys written in the wrong table: each test asserts
// every error, exactly as `herald check` prints it.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "config_test_support.hpp"

namespace herald::config {
namespace {

using ::testing::ElementsAre;
using testing::errors_of;

TEST(ActionErrors, UnknownActionType) {
  EXPECT_THAT(errors_of(R"([observers]
nats_url = "nats://127.0.0.1:4222"
[[observers]]
table = "tb_order"
event = "INSERT"
[[observers.actions]]
type = "sqs"
)"),
              ElementsAre("fraiseql.toml:7:8: unknown type \"sqs\"; expected \"webhook\", \"nats\" "
                          "or \"redis\""));
}

TEST(ActionErrors, UnknownActionKeySuggests) {
  EXPECT_THAT(errors_of(R"([observers]
backend = "webhook"
[[observers]]
table = "tb_order"
event = "INSERT"
[[observers.actions]]
url = "https://example.com/hook"
timeout = 100
)"),
              ElementsAre("fraiseql.toml:8:1: unknown key 'timeout' in [[observers.actions]] "
                          "action; did you mean 'timeout_ms'?"));
}

TEST(ActionErrors, WebhookWithoutUrl) {
  EXPECT_THAT(errors_of(R"([observers]
backend = "webhook"
[[observers]]
table = "tb_order"
event = "INSERT"
[[observers.actions]]
type = "webhook"
timeout_ms = 100
)"),
              ElementsAre("fraiseql.toml:6:1: webhook action has no 'url' or 'url_env'"));
}

TEST(ActionErrors, ActionWithoutTypeIsAWebhook) {
  EXPECT_THAT(errors_of(R"([observers]
backend = "webhook"
[[observers]]
table = "tb_order"
event = "INSERT"
[[observers.actions]]
secret_env = "HOOK_SECRET"
)",
                        {{"HOOK_SECRET", "s"}}),
              ElementsAre("fraiseql.toml:6:1: webhook action has no 'url' or 'url_env'"));
}

TEST(ActionErrors, UrlAndUrlEnvBothSet) {
  EXPECT_THAT(errors_of(R"([observers]
backend = "webhook"
[[observers]]
table = "tb_order"
event = "INSERT"
[[observers.actions]]
url = "https://example.com/a"
url_env = "HOOK_URL"
)",
                        {{"HOOK_URL", "https://example.com/b"}}),
              ElementsAre("fraiseql.toml:8:1: 'url' and 'url_env' are both set; keep one"));
}

TEST(ActionErrors, UrlOnNatsAction) {
  EXPECT_THAT(errors_of(R"([observers]
nats_url = "nats://127.0.0.1:4222"
[[observers]]
table = "tb_order"
event = "INSERT"
[[observers.actions]]
type = "nats"
url = "https://example.com/a"
)"),
              ElementsAre("fraiseql.toml:8:1: 'url' is only for webhook actions; a nats action "
                          "publishes to the rule's 'subject' or its own"));
}

TEST(ActionErrors, SecretEnvOnRedisAction) {
  EXPECT_THAT(errors_of(R"([observers]
backend = "redis"
redis_url = "redis://127.0.0.1:6379"
[[observers]]
table = "tb_order"
event = "INSERT"
[[observers.actions]]
type = "redis"
  secret_env = "HOOK_SECRET"
)"),
              ElementsAre("fraiseql.toml:9:3: 'secret_env' is only for webhook actions; a redis "
                          "action publishes to the rule's 'subject' or its own"));
}

TEST(ActionErrors, SubjectOnWebhookAction) {
  EXPECT_THAT(errors_of(R"([observers]
backend = "webhook"
[[observers]]
table = "tb_order"
event = "INSERT"
[[observers.actions]]
url = "https://example.com/a"
subject = "x.y"
)"),
              ElementsAre("fraiseql.toml:8:1: 'subject' is only for nats and redis actions"));
}

TEST(ActionErrors, UrlThatIsNotHttp) {
  EXPECT_THAT(errors_of(R"([observers]
backend = "webhook"
[[observers]]
table = "tb_order"
event = "INSERT"
[[observers.actions]]
url = "ftp://example.com/a"
)"),
              ElementsAre("fraiseql.toml:7:7: 'url' must be an http:// or https:// URL"));
}

TEST(ActionErrors, UrlEnvNotSet) {
  EXPECT_THAT(errors_of(R"([observers]
backend = "webhook"
[[observers]]
table = "tb_order"
event = "INSERT"
[[observers.actions]]
url_env = "ORDER_WEBHOOK_URL"
)"),
              ElementsAre("fraiseql.toml:7:11: environment variable ORDER_WEBHOOK_URL named by "
                          "'url_env' is not set"));
}

TEST(ActionErrors, UrlEnvEmpty) {
  EXPECT_THAT(errors_of(R"([observers]
backend = "webhook"
[[observers]]
table = "tb_order"
event = "INSERT"
[[observers.actions]]
url_env = "ORDER_WEBHOOK_URL"
)",
                        {{"ORDER_WEBHOOK_URL", ""}}),
              ElementsAre("fraiseql.toml:7:11: environment variable ORDER_WEBHOOK_URL named by "
                          "'url_env' is empty"));
}

TEST(ActionErrors, SecretEnvNotSet) {
  EXPECT_THAT(errors_of(R"([observers]
backend = "webhook"
[[observers]]
table = "tb_order"
event = "INSERT"
[[observers.actions]]
url = "https://example.com/a"
secret_env = "ORDER_WEBHOOK_SECRET"
)"),
              ElementsAre("fraiseql.toml:8:14: environment variable ORDER_WEBHOOK_SECRET named by "
                          "'secret_env' is not set"));
}

TEST(ActionErrors, HeaderValueNotAString) {
  EXPECT_THAT(errors_of(R"([observers]
backend = "webhook"
[[observers]]
table = "tb_order"
event = "INSERT"
[[observers.actions]]
url = "https://example.com/a"
headers = { "X-Team" = "billing", "X-Priority" = 5 }
)"),
              ElementsAre("fraiseql.toml:8:50: header 'X-Priority' must be a string, got an "
                          "integer"));
}

TEST(ActionErrors, HeadersNotATable) {
  EXPECT_THAT(errors_of(R"([observers]
backend = "webhook"
[[observers]]
table = "tb_order"
event = "INSERT"
[[observers.actions]]
url = "https://example.com/a"
headers = "X-Team: billing"
)"),
              ElementsAre("fraiseql.toml:8:11: 'headers' must be a table, got a string"));
}

TEST(ActionErrors, TimeoutZero) {
  EXPECT_THAT(errors_of(R"([observers]
backend = "webhook"
[[observers]]
table = "tb_order"
event = "INSERT"
[[observers.actions]]
url = "https://example.com/a"
timeout_ms = 0
)"),
              ElementsAre("fraiseql.toml:8:14: 'timeout_ms' must be at least 1, got 0"));
}

TEST(ActionErrors, TimeoutAsFloat) {
  EXPECT_THAT(errors_of(R"([observers]
backend = "webhook"
[[observers]]
table = "tb_order"
event = "INSERT"
[[observers.actions]]
url = "https://example.com/a"
timeout_ms = 1.5
)"),
              ElementsAre("fraiseql.toml:8:14: 'timeout_ms' must be an integer, got a float"));
}

TEST(ActionErrors, ActionSubjectWithWildcard) {
  EXPECT_THAT(errors_of(R"([observers]
nats_url = "nats://127.0.0.1:4222"
[[observers]]
table = "tb_order"
event = "INSERT"
[[observers.actions]]
type = "nats"
subject = "orders.>"
)"),
              ElementsAre("fraiseql.toml:8:11: invalid NATS subject \"orders.>\": wildcards ('*', "
                          "'>') are not allowed in a subject that is published to"));
}

TEST(ActionErrors, ActionRetryUnknownKey) {
  EXPECT_THAT(errors_of(R"([observers]
backend = "webhook"
[[observers]]
table = "tb_order"
event = "INSERT"
[[observers.actions]]
url = "https://example.com/a"
[observers.actions.retry]
max_atempts = 3
)"),
              ElementsAre("fraiseql.toml:9:1: unknown key 'max_atempts' in "
                          "[observers.actions.retry]; did you mean 'max_attempts'?"));
}

TEST(ActionErrors, ActionRetryOrderCheckedAgainstInheritedValues) {
  EXPECT_THAT(errors_of(R"([observers]
backend = "webhook"
[observers.retry]
initial_delay_ms = 1000
[[observers]]
table = "tb_order"
event = "INSERT"
[[observers.actions]]
url = "https://example.com/a"
[observers.actions.retry]
max_delay_ms = 200
)"),
              ElementsAre("fraiseql.toml:11:16: 'initial_delay_ms' (1000) must not be greater "
                          "than 'max_delay_ms' (200)"));
}

TEST(ActionErrors, ActionsNotTables) {
  EXPECT_THAT(errors_of(R"([observers]
backend = "webhook"
[[observers]]
table = "tb_order"
event = "INSERT"
actions = ["https://example.com/a"]
)"),
              ElementsAre("fraiseql.toml:3:1: rule \"tb_order:INSERT\" has no actions, and backend "
                          "\"webhook\" has no URL of its own; it needs an [[observers.actions]] "
                          "with a url",
                          "fraiseql.toml:6:12: each entry of 'actions' must be a table, got a "
                          "string"));
}

TEST(MisplacedKeys, ActionKeyInARule) {
  EXPECT_THAT(errors_of(R"([observers]
backend = "webhook"
[[observers]]
table = "tb_order"
event = "INSERT"
url = "https://example.com/hook"
)"),
              ElementsAre("fraiseql.toml:3:1: rule \"tb_order:INSERT\" has no actions, and backend "
                          "\"webhook\" has no URL of its own; it needs an [[observers.actions]] "
                          "with a url",
                          "fraiseql.toml:6:1: unknown key 'url' in [[observers]] rule; it belongs "
                          "in an [[observers.actions]] under this rule"));
}

TEST(MisplacedKeys, BackendKeyInARule) {
  EXPECT_THAT(errors_of(R"([observers]
nats_url = "nats://127.0.0.1:4222"
[[observers]]
table = "tb_order"
event = "INSERT"
backend = "nats"
)"),
              ElementsAre("fraiseql.toml:6:1: unknown key 'backend' in [[observers]] rule; it "
                          "belongs in [observers]"));
}

TEST(MisplacedKeys, ObserversKeyAtTopLevel) {
  EXPECT_THAT(errors_of("nats_url = \"nats://127.0.0.1:4222\"\n"),
              ElementsAre("fraiseql.toml:1:1: unknown key 'nats_url' in the file's top level; it "
                          "belongs in [observers]"));
}

}  // namespace
}  // namespace herald::config
