// `${VAR}`, `${VAR:-default}` and `$${`.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "config/interpolate.hpp"
#include "config_test_support.hpp"

namespace herald::config {
namespace {

using ::testing::ElementsAre;
using testing::env_of;

const EnvLookup kEnv = env_of({{"HOST", "db.local"}, {"PORT", "5432"}, {"EMPTY", ""}});

std::string value_of(std::string_view raw) {
  const Interpolation result = interpolate(raw, kEnv);
  EXPECT_THAT(result.problems, ElementsAre());
  return result.value;
}

TEST(Interpolate, PlainTextIsUnchanged) {
  EXPECT_EQ(value_of("nats://127.0.0.1:4222"), "nats://127.0.0.1:4222");
  EXPECT_EQ(value_of(""), "");
}

TEST(Interpolate, ReplacesVariables) {
  EXPECT_EQ(value_of("postgres://${HOST}:${PORT}/app"), "postgres://db.local:5432/app");
  EXPECT_EQ(value_of("${HOST}${PORT}"), "db.local5432");
}

TEST(Interpolate, DefaultWhenUnsetOrEmpty) {
  EXPECT_EQ(value_of("${MISSING:-fallback}"), "fallback");
  EXPECT_EQ(value_of("${EMPTY:-fallback}"), "fallback");
  EXPECT_EQ(value_of("${HOST:-fallback}"), "db.local");
  EXPECT_EQ(value_of("${MISSING:-}"), "");
  EXPECT_EQ(value_of("${MISSING:-a:-b}"), "a:-b");
}

TEST(Interpolate, SetButEmptyWithoutDefaultIsEmpty) {
  EXPECT_EQ(value_of("[${EMPTY}]"), "[]");
}

TEST(Interpolate, DoubleDollarIsALiteral) {
  EXPECT_EQ(value_of("$${HOST}"), "${HOST}");
  EXPECT_EQ(value_of("cost: $5 and $$"), "cost: $5 and $$");
  // Scanning is left to right: "$" then the literal "$${".
  EXPECT_EQ(value_of("$$${HOST}"), "$${HOST}");
}

TEST(Interpolate, MissingVariableIsAProblem) {
  const Interpolation result = interpolate("a${NOPE}b", kEnv);
  EXPECT_THAT(result.problems, ElementsAre("uses environment variable NOPE, which is not set"));
}

TEST(InterpolateLoad, LiteralDollarBraceInACondition) {
  const LoadResult result = load_string(R"([observers]
nats_url = "nats://n:4222"
[[observers]]
table = "tb_order"
event = "INSERT"
condition = "note == '$${HOME}'"
subject = "${PREFIX:-fraiseql}.order.created"
)",
                                        "f.toml", kEnv);
  ASSERT_THAT(testing::error_strings(result), ElementsAre());
  EXPECT_EQ(result.config->observers.rules.at(0).condition, "note == '${HOME}'");
  EXPECT_EQ(result.config->observers.rules.at(0).subject, "fraiseql.order.created");
}

TEST(InterpolateLoad, InterpolatedValuesAreValidatedToo) {
  EXPECT_THAT(testing::errors_of("[observers]\nslot = \"${SLOT:-Bad Slot}\"\n"),
              ElementsAre("fraiseql.toml:2:8: invalid replication slot name \"Bad Slot\": use "
                          "lower-case letters, digits and '_', at most 63 characters"));
}

TEST(InterpolateLoad, ProcessEnvironmentIsTheDefault) {
  ::setenv("HERALD_CONFIG_TEST_PREFIX", "from.process", 1);
  const LoadResult result =
      load_string("[observers]\nsubject_prefix = \"${HERALD_CONFIG_TEST_PREFIX}\"\n", "f.toml");
  ::unsetenv("HERALD_CONFIG_TEST_PREFIX");
  ASSERT_THAT(testing::error_strings(result), ElementsAre());
  EXPECT_EQ(result.config->observers.subject_prefix, "from.process");
}

}  // namespace
}  // namespace herald::config
