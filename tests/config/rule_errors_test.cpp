// Bad [[observers]] rules: each test asserts every error,
// exactly as `herald check` prints it.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "config_test_support.hpp"

namespace herald::config {
namespace {

using ::testing::ElementsAre;
using testing::errors_of;

TEST(RuleErrors, UnknownKeySuggestsTheKnownOne) {
  EXPECT_THAT(errors_of(R"([observers]
nats_url = "nats://127.0.0.1:4222"
[[observers]]
table = "tb_order"
evnt = "INSERT"
)"),
              ElementsAre("fraiseql.toml:3:1: [[observers]] rule has no 'event'",
                          "fraiseql.toml:5:1: unknown key 'evnt' in [[observers]] rule; did you "
                          "mean 'event'?"));
}

TEST(RuleErrors, UnknownKeyFarFromAnyListsTheKnownKeys) {
  EXPECT_THAT(errors_of(R"([observers]
nats_url = "nats://127.0.0.1:4222"
[[observers]]
table = "tb_order"
event = "INSERT"
  priority = 3
)"),
              ElementsAre("fraiseql.toml:6:3: unknown key 'priority' in [[observers]] rule (known "
                          "keys: table, event, subject, condition, changed, name, actions)"));
}

TEST(RuleErrors, TableMissing) {
  EXPECT_THAT(errors_of(R"([observers]
nats_url = "nats://127.0.0.1:4222"
[[observers]]
event = "INSERT"
)"),
              ElementsAre("fraiseql.toml:3:1: [[observers]] rule has no 'table'"));
}

TEST(RuleErrors, TableWithThreeParts) {
  EXPECT_THAT(errors_of(R"([observers]
nats_url = "nats://127.0.0.1:4222"
[[observers]]
table = "a.b.c"
event = "INSERT"
)"),
              ElementsAre("fraiseql.toml:4:9: 'table' must be \"table\" or \"schema.table\", got "
                          "\"a.b.c\""));
}

TEST(RuleErrors, TableWithEmptySchema) {
  EXPECT_THAT(errors_of(R"([observers]
nats_url = "nats://127.0.0.1:4222"
[[observers]]
table = ".tb_order"
event = "INSERT"
)"),
              ElementsAre("fraiseql.toml:4:9: 'table' must be \"table\" or \"schema.table\", got "
                          "\".tb_order\""));
}

TEST(RuleErrors, TableOfWrongType) {
  EXPECT_THAT(errors_of(R"([observers]
nats_url = "nats://127.0.0.1:4222"
[[observers]]
table = ["tb_order"]
event = "INSERT"
)"),
              ElementsAre("fraiseql.toml:4:9: 'table' must be a string, got an array"));
}

TEST(RuleErrors, UnknownEvent) {
  EXPECT_THAT(errors_of(R"([observers]
nats_url = "nats://127.0.0.1:4222"
[[observers]]
table = "tb_order"
event = "INSRT"
)"),
              ElementsAre("fraiseql.toml:5:9: unknown event \"INSRT\"; expected \"INSERT\", "
                          "\"UPDATE\", \"DELETE\" or \"*\""));
}

TEST(RuleErrors, LowerCaseEventIsUnknown) {
  EXPECT_THAT(errors_of(R"([observers]
nats_url = "nats://127.0.0.1:4222"
[[observers]]
table = "tb_order"
event = "insert"
)"),
              ElementsAre("fraiseql.toml:5:9: unknown event \"insert\"; expected \"INSERT\", "
                          "\"UPDATE\", \"DELETE\" or \"*\""));
}

TEST(RuleErrors, UnknownEventInList) {
  EXPECT_THAT(errors_of(R"([observers]
nats_url = "nats://127.0.0.1:4222"
[[observers]]
table = "tb_order"
event = ["INSERT", "UPSERT"]
)"),
              ElementsAre("fraiseql.toml:5:20: unknown event \"UPSERT\"; expected \"INSERT\", "
                          "\"UPDATE\", \"DELETE\" or \"*\""));
}

TEST(RuleErrors, EventOfWrongType) {
  EXPECT_THAT(errors_of(R"([observers]
nats_url = "nats://127.0.0.1:4222"
[[observers]]
table = "tb_order"
event = 1
)"),
              ElementsAre("fraiseql.toml:5:9: 'event' must be a string or a list of strings, got "
                          "an integer"));
}

TEST(RuleErrors, EventListEntryOfWrongType) {
  EXPECT_THAT(errors_of(R"([observers]
nats_url = "nats://127.0.0.1:4222"
[[observers]]
table = "tb_order"
event = ["INSERT", true]
)"),
              ElementsAre("fraiseql.toml:5:20: each entry of 'event' must be a string, got a "
                          "boolean"));
}

TEST(RuleErrors, EventListedTwice) {
  EXPECT_THAT(errors_of(R"([observers]
nats_url = "nats://127.0.0.1:4222"
[[observers]]
table = "tb_order"
event = ["UPDATE", "UPDATE"]
)"),
              ElementsAre("fraiseql.toml:5:20: event \"UPDATE\" is listed twice"));
}

TEST(RuleErrors, StarInsideAList) {
  EXPECT_THAT(errors_of(R"([observers]
nats_url = "nats://127.0.0.1:4222"
[[observers]]
table = "tb_order"
event = ["INSERT", "*"]
)"),
              ElementsAre("fraiseql.toml:5:20: \"*\" already means every event; write event = "
                          "\"*\" on its own"));
}

TEST(RuleErrors, EmptyEventList) {
  EXPECT_THAT(errors_of(R"([observers]
nats_url = "nats://127.0.0.1:4222"
[[observers]]
table = "tb_order"
event = []
)"),
              ElementsAre("fraiseql.toml:5:9: 'event' must list at least one of \"INSERT\", "
                          "\"UPDATE\", \"DELETE\""));
}

TEST(RuleErrors, ChangedWithoutUpdate) {
  EXPECT_THAT(errors_of(R"([observers]
nats_url = "nats://127.0.0.1:4222"
[[observers]]
table = "tb_order"
event = ["INSERT", "DELETE"]
changed = ["status"]
)"),
              ElementsAre("fraiseql.toml:6:11: 'changed' only applies to UPDATE events, and this "
                          "rule has no UPDATE"));
}

TEST(RuleErrors, ChangedNotAList) {
  EXPECT_THAT(errors_of(R"([observers]
nats_url = "nats://127.0.0.1:4222"
[[observers]]
table = "tb_order"
event = "UPDATE"
changed = "status"
)"),
              ElementsAre("fraiseql.toml:6:11: 'changed' must be a list of column names, got a "
                          "string"));
}

TEST(RuleErrors, ChangedEntryNotAString) {
  EXPECT_THAT(errors_of(R"([observers]
nats_url = "nats://127.0.0.1:4222"
[[observers]]
table = "tb_order"
event = "UPDATE"
changed = ["status", 7]
)"),
              ElementsAre("fraiseql.toml:6:22: each entry of 'changed' must be a string, got an "
                          "integer"));
}

TEST(RuleErrors, ConditionOfWrongType) {
  EXPECT_THAT(errors_of(R"([observers]
nats_url = "nats://127.0.0.1:4222"
[[observers]]
table = "tb_order"
event = "INSERT"
condition = true
)"),
              ElementsAre("fraiseql.toml:6:13: 'condition' must be a string, got a boolean"));
}

TEST(RuleErrors, EmptyName) {
  EXPECT_THAT(errors_of(R"([observers]
nats_url = "nats://127.0.0.1:4222"
[[observers]]
table = "tb_order"
event = "INSERT"
name = ""
)"),
              ElementsAre("fraiseql.toml:6:8: 'name' must not be empty"));
}

TEST(RuleErrors, DuplicateDerivedNames) {
  EXPECT_THAT(errors_of(R"([observers]
nats_url = "nats://127.0.0.1:4222"
[[observers]]
table = "tb_order"
event = "INSERT"
[[observers]]
table = "tb_order"
event = "INSERT"
condition = "total > 100"
)"),
              ElementsAre("fraiseql.toml:6:1: duplicate rule name \"tb_order:INSERT\" (first used "
                          "by the rule at line 3); two rules for the same table and event need "
                          "distinct 'name's"));
}

TEST(RuleErrors, DuplicateGivenNames) {
  EXPECT_THAT(errors_of(R"([observers]
nats_url = "nats://127.0.0.1:4222"
[[observers]]
table = "tb_order"
event = "INSERT"
name = "orders"
[[observers]]
table = "tb_order"
event = "DELETE"
name = "orders"
)"),
              ElementsAre("fraiseql.toml:10:8: duplicate rule name \"orders\" (first used by the "
                          "rule at line 3)"));
}

TEST(RuleErrors, GivenNameClashingWithDerivedName) {
  EXPECT_THAT(errors_of(R"([observers]
nats_url = "nats://127.0.0.1:4222"
[[observers]]
table = "tb_order"
event = "INSERT"
[[observers]]
table = "tb_user"
event = "INSERT"
name = "tb_order:INSERT"
)"),
              ElementsAre("fraiseql.toml:9:8: duplicate rule name \"tb_order:INSERT\" (first used "
                          "by the rule at line 3)"));
}

TEST(RuleErrors, RuleSubjectWithEmptyToken) {
  EXPECT_THAT(errors_of(R"([observers]
nats_url = "nats://127.0.0.1:4222"
[[observers]]
table = "tb_order"
event = "INSERT"
subject = "fraiseql..order"
)"),
              ElementsAre("fraiseql.toml:6:11: invalid NATS subject \"fraiseql..order\": it has "
                          "an empty token (two dots in a row, or a dot at an end)"));
}

TEST(RuleErrors, RuleSubjectWithSpace) {
  EXPECT_THAT(errors_of(R"([observers]
nats_url = "nats://127.0.0.1:4222"
[[observers]]
table = "tb_order"
event = "INSERT"
subject = "order created"
)"),
              ElementsAre("fraiseql.toml:6:11: invalid NATS subject \"order created\": it "
                          "contains whitespace"));
}

TEST(RuleErrors, RuleSubjectWithWildcard) {
  EXPECT_THAT(errors_of(R"([observers]
nats_url = "nats://127.0.0.1:4222"
[[observers]]
table = "tb_order"
event = "INSERT"
subject = "fraiseql.order.*"
)"),
              ElementsAre("fraiseql.toml:6:11: invalid NATS subject \"fraiseql.order.*\": "
                          "wildcards ('*', '>') are not allowed in a subject that is published "
                          "to"));
}

TEST(RuleErrors, RulesAsPlainTable) {
  EXPECT_THAT(errors_of(R"([observers]
nats_url = "nats://127.0.0.1:4222"
[observers.rules]
table = "tb_order"
)"),
              ElementsAre("fraiseql.toml:3:1: 'rules' must be an array of tables, got a table"));
}

}  // namespace
}  // namespace herald::config
