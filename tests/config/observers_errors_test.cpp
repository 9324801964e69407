// Bad [observers] settings, retry, dlq, publish and subscribe entries, and rules that
// cannot be delivered. Each test asserts every error, exactly as printed.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "config_test_support.hpp"

namespace herald::config {
namespace {

using ::testing::ElementsAre;
using testing::errors_of;

TEST(ObserversErrors, UnknownKeySuggests) {
  EXPECT_THAT(errors_of(R"([observers]
nats_ur = "nats://127.0.0.1:4222"
)"),
              ElementsAre("fraiseql.toml:2:1: unknown key 'nats_ur' in [observers]; did you mean "
                          "'nats_url'?"));
}

TEST(ObserversErrors, UnknownBackend) {
  EXPECT_THAT(errors_of(R"([observers]
backend = "kafka"
[[observers]]
table = "tb_order"
event = "INSERT"
)"),
              ElementsAre("fraiseql.toml:2:11: unknown backend \"kafka\"; expected \"nats\", "
                          "\"redis\" or \"webhook\""));
}

TEST(ObserversErrors, UnknownFormat) {
  EXPECT_THAT(errors_of(R"([observers]
format = "json"
)"),
              ElementsAre("fraiseql.toml:2:10: unknown format \"json\"; expected \"fraiseql\" or "
                          "\"cloudevents\""));
}

TEST(ObserversErrors, UnknownRedisMode) {
  EXPECT_THAT(errors_of(R"([observers]
redis_mode = "list"
)"),
              ElementsAre("fraiseql.toml:2:14: unknown redis_mode \"list\"; expected \"stream\" or "
                          "\"pubsub\""));
}

TEST(ObserversErrors, JetstreamNotABoolean) {
  EXPECT_THAT(errors_of(R"([observers]
jetstream = "yes"
)"),
              ElementsAre("fraiseql.toml:2:13: 'jetstream' must be a boolean, got a string"));
}

TEST(ObserversErrors, RedisMaxlenZero) {
  EXPECT_THAT(errors_of(R"([observers]
redis_maxlen = 0
)"),
              ElementsAre("fraiseql.toml:2:16: 'redis_maxlen' must be at least 1, got 0"));
}

TEST(ObserversErrors, BatchWindowOutOfRange) {
  EXPECT_THAT(errors_of(R"([observers]
batch_window_ms = -1
)"),
              ElementsAre("fraiseql.toml:2:19: 'batch_window_ms' must be at least 0, got -1"));
  EXPECT_THAT(errors_of(R"([observers]
batch_window_ms = 5000
)"),
              ElementsAre("fraiseql.toml:2:19: 'batch_window_ms' must be at most 1000, got 5000"));
  EXPECT_THAT(errors_of(R"([observers]
batch_window_ms = 2.5
)"),
              ElementsAre("fraiseql.toml:2:19: 'batch_window_ms' must be an integer, got a float"));
}

TEST(ObserversErrors, SubjectPrefixWithWildcard) {
  EXPECT_THAT(errors_of(R"([observers]
subject_prefix = "fraiseql.>"
)"),
              ElementsAre("fraiseql.toml:2:18: invalid NATS subject \"fraiseql.>\": wildcards "
                          "('*', '>') are not allowed in a subject that is published to"));
}

TEST(ObserversErrors, StreamNameWithDot) {
  EXPECT_THAT(errors_of(R"([observers]
stream = "FRAISEQL.EVENTS"
)"),
              ElementsAre("fraiseql.toml:2:10: invalid stream name \"FRAISEQL.EVENTS\": it must "
                          "not contain whitespace, '.', '*', '>', '/' or '\\'"));
}

TEST(ObserversErrors, SlotWithUpperCase) {
  EXPECT_THAT(errors_of(R"([observers]
slot = "Herald"
)"),
              ElementsAre("fraiseql.toml:2:8: invalid replication slot name \"Herald\": use "
                          "lower-case letters, digits and '_', at most 63 characters"));
}

TEST(ObserversErrors, SlotTooLong) {
  const std::string slot(64, 'a');
  EXPECT_THAT(errors_of("[observers]\nslot = \"" + slot + "\"\n"),
              ElementsAre("fraiseql.toml:2:8: invalid replication slot name \"" + slot +
                          "\": use lower-case letters, digits and '_', at most 63 characters"));
}

TEST(ObserversErrors, SlotOf63CharactersIsFine) {
  EXPECT_THAT(errors_of("[observers]\nslot = \"" + std::string(63, 'a') + "\"\n"), ElementsAre());
}

TEST(ObserversErrors, PublicationStartingWithDigit) {
  EXPECT_THAT(errors_of(R"([observers]
publication = "1herald"
)"),
              ElementsAre("fraiseql.toml:2:15: invalid publication name \"1herald\": use "
                          "lower-case letters, digits and '_', not starting with a digit, at most "
                          "63 characters"));
}

TEST(RetryErrors, MaxAttemptsAsString) {
  EXPECT_THAT(errors_of(R"([observers.retry]
max_attempts = "3"
)"),
              ElementsAre("fraiseql.toml:2:16: 'max_attempts' must be an integer, got a string"));
}

TEST(RetryErrors, MaxAttemptsZero) {
  EXPECT_THAT(errors_of(R"([observers.retry]
max_attempts = 0
)"),
              ElementsAre("fraiseql.toml:2:16: 'max_attempts' must be at least 1, got 0"));
}

TEST(RetryErrors, MaxAttemptsTooLarge) {
  EXPECT_THAT(errors_of(R"([observers.retry]
max_attempts = 3000000000
)"),
              ElementsAre("fraiseql.toml:2:16: 'max_attempts' must be at most 2147483647, got "
                          "3000000000"));
}

TEST(RetryErrors, NegativeDelay) {
  EXPECT_THAT(errors_of(R"([observers.retry]
initial_delay_ms = -1
)"),
              ElementsAre("fraiseql.toml:2:20: 'initial_delay_ms' must be at least 0, got -1"));
}

TEST(RetryErrors, InitialAboveMax) {
  EXPECT_THAT(errors_of(R"([observers.retry]
initial_delay_ms = 5000
max_delay_ms = 1000
)"),
              ElementsAre("fraiseql.toml:2:20: 'initial_delay_ms' (5000) must not be greater than "
                          "'max_delay_ms' (1000)"));
}

TEST(RetryErrors, UnknownBackoff) {
  EXPECT_THAT(errors_of(R"([observers.retry]
backoff = "exponentional"
)"),
              ElementsAre("fraiseql.toml:2:11: unknown backoff \"exponentional\"; expected "
                          "\"exponential\", \"linear\" or \"fixed\""));
}

TEST(DlqErrors, UnknownKeyListsKnownKeys) {
  EXPECT_THAT(errors_of(R"([observers]
nats_url = "nats://127.0.0.1:4222"
[observers.dlq]
topic = "dead"
)"),
              ElementsAre("fraiseql.toml:4:1: unknown key 'topic' in [observers.dlq] (known keys: "
                          "subject)"));
}

TEST(DlqErrors, SubjectWithoutNatsUrl) {
  EXPECT_THAT(errors_of(R"([observers.dlq]
subject = "fraiseql.dead"
)"),
              ElementsAre("fraiseql.toml:2:11: dead letters are published to 'subject', but "
                          "[observers] has no 'nats_url'"));
}

TEST(SubscribeErrors, WithoutHandler) {
  EXPECT_THAT(errors_of(R"([observers]
nats_url = "nats://127.0.0.1:4222"
[[observers.subscribe]]
subject = "fraiseql.order.created"
)"),
              ElementsAre("fraiseql.toml:3:1: [[observers.subscribe]] entry has no 'handler'"));
}

TEST(SubscribeErrors, WithoutSubject) {
  EXPECT_THAT(errors_of(R"([observers]
nats_url = "nats://127.0.0.1:4222"
[[observers.subscribe]]
handler = "fn_reserve_inventory"
)"),
              ElementsAre("fraiseql.toml:3:1: [[observers.subscribe]] entry has no 'subject'"));
}

TEST(SubscribeErrors, WithoutNatsUrl) {
  EXPECT_THAT(errors_of(R"([[observers.subscribe]]
subject = "fraiseql.order.created"
handler = "fn_reserve_inventory"
)"),
              ElementsAre("fraiseql.toml:1:1: [[observers.subscribe]] entry reads from NATS, but "
                          "[observers] has no 'nats_url'"));
}

TEST(SubscribeErrors, WildcardInsideAToken) {
  EXPECT_THAT(errors_of(R"([observers]
nats_url = "nats://127.0.0.1:4222"
[[observers.subscribe]]
subject = "fraiseql.order*"
handler = "fn_a"
)"),
              ElementsAre("fraiseql.toml:4:11: invalid NATS subject \"fraiseql.order*\": '*' must "
                          "be a whole token and '>' the whole last token"));
}

TEST(SubscribeErrors, FullWildcardNotLast) {
  EXPECT_THAT(errors_of(R"([observers]
nats_url = "nats://127.0.0.1:4222"
[[observers.subscribe]]
subject = "fraiseql.>.created"
handler = "fn_a"
)"),
              ElementsAre("fraiseql.toml:4:11: invalid NATS subject \"fraiseql.>.created\": '*' "
                          "must be a whole token and '>' the whole last token"));
}

TEST(SubscribeErrors, InvalidDurable) {
  EXPECT_THAT(errors_of(R"([observers]
nats_url = "nats://127.0.0.1:4222"
[[observers.subscribe]]
subject = "a.b"
handler = "fn_a"
durable = "inventory.v2"
)"),
              ElementsAre("fraiseql.toml:6:11: invalid durable name \"inventory.v2\": use letters, "
                          "digits, '_' and '-' only"));
}

TEST(SubscribeErrors, MaxDeliverZero) {
  EXPECT_THAT(errors_of(R"([observers]
nats_url = "nats://127.0.0.1:4222"
[[observers.subscribe]]
subject = "a.b"
handler = "fn_a"
max_deliver = 0
)"),
              ElementsAre("fraiseql.toml:6:15: 'max_deliver' must be at least 1, got 0"));
}

TEST(PublishErrors, WithoutMutation) {
  EXPECT_THAT(errors_of(R"([observers]
nats_url = "nats://127.0.0.1:4222"
[[observers.publish]]
subject = "fraiseql.order.created"
)"),
              ElementsAre("fraiseql.toml:3:1: [[observers.publish]] entry has no 'mutation'"));
}

TEST(PublishErrors, SubjectWithWildcard) {
  EXPECT_THAT(errors_of(R"([observers]
nats_url = "nats://127.0.0.1:4222"
[[observers.publish]]
mutation = "createOrder"
subject = "orders.*"
)"),
              ElementsAre("fraiseql.toml:5:11: invalid NATS subject \"orders.*\": wildcards ('*', "
                          "'>') are not allowed in a subject that is published to"));
}

TEST(PublishErrors, OnWebhookBackend) {
  EXPECT_THAT(errors_of(R"([observers]
backend = "webhook"
[[observers.publish]]
mutation = "createOrder"
)"),
              ElementsAre("fraiseql.toml:3:1: [[observers.publish]] entry is delivered with the "
                          "backend, and backend \"webhook\" has no URL of its own; use backend "
                          "\"nats\" or \"redis\""));
}

TEST(DeliveryErrors, NatsBackendWithoutNatsUrl) {
  EXPECT_THAT(errors_of(R"([observers]
backend = "nats"
[[observers]]
table = "tb_order"
event = "INSERT"
)"),
              ElementsAre("fraiseql.toml:3:1: rule \"tb_order:INSERT\" is delivered over NATS "
                          "(backend \"nats\"), but [observers] has no 'nats_url'"));
}

TEST(DeliveryErrors, NatsUrlEmptyByDefaultCountsAsMissing) {
  EXPECT_THAT(errors_of(R"([observers]
nats_url = "${NATS_URL:-}"
[[observers]]
table = "tb_order"
event = "INSERT"
)"),
              ElementsAre("fraiseql.toml:3:1: rule \"tb_order:INSERT\" is delivered over NATS "
                          "(backend \"nats\"), but [observers] has no 'nats_url'"));
}

TEST(DeliveryErrors, MissingVariableInNatsUrlIsReportedOnce) {
  EXPECT_THAT(errors_of(R"([observers]
nats_url = "${NATS_URL}"
[[observers]]
table = "tb_order"
event = "INSERT"
[[observers]]
table = "tb_order"
event = "UPDATE"
)"),
              ElementsAre("fraiseql.toml:2:12: 'nats_url' uses environment variable NATS_URL, "
                          "which is not set"));
}

TEST(DeliveryErrors, NatsActionWithoutNatsUrl) {
  EXPECT_THAT(errors_of(R"([observers]
backend = "webhook"
[[observers]]
table = "tb_order"
event = "INSERT"
[[observers.actions]]
type = "nats"
)"),
              ElementsAre("fraiseql.toml:6:1: this nats action needs 'nats_url' in [observers]"));
}

TEST(DeliveryErrors, RedisBackendWithoutRedisUrl) {
  EXPECT_THAT(errors_of(R"([observers]
backend = "redis"
[[observers]]
table = "tb_order"
event = "DELETE"
)"),
              ElementsAre("fraiseql.toml:3:1: rule \"tb_order:DELETE\" is delivered to Redis "
                          "(backend \"redis\"), but [observers] has no 'redis_url'"));
}

TEST(DeliveryErrors, RedisActionWithoutRedisUrl) {
  EXPECT_THAT(errors_of(R"([observers]
nats_url = "nats://127.0.0.1:4222"
[[observers]]
table = "tb_order"
event = "INSERT"
[[observers.actions]]
type = "redis"
)"),
              ElementsAre("fraiseql.toml:6:1: this redis action needs 'redis_url' in [observers]"));
}

TEST(DeliveryErrors, WebhookBackendRuleWithoutActions) {
  EXPECT_THAT(errors_of(R"([observers]
backend = "webhook"
[[observers]]
table = "tb_user"
event = "INSERT"
)"),
              ElementsAre("fraiseql.toml:3:1: rule \"tb_user:INSERT\" has no actions, and backend "
                          "\"webhook\" has no URL of its own; it needs an [[observers.actions]] "
                          "with a url"));
}

}  // namespace
}  // namespace herald::config
