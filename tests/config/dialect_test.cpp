// The observers dialect rewrite, on text, and through the loader.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "config/dialect.hpp"
#include "config_test_support.hpp"

namespace herald::config {
namespace {

using ::testing::ElementsAre;
using testing::errors_of;

std::string rewritten(std::string_view text) {
  const DialectResult result = rewrite_observers_dialect(text);
  EXPECT_TRUE(result.errors.empty());
  return result.text;
}

TEST(Dialect, RuleHeaderGetsRulesSegment) {
  EXPECT_EQ(rewritten("[[observers]]\n"), "[[observers.rules]]\n");
}

TEST(Dialect, ActionHeadersMoveUnderRules) {
  EXPECT_EQ(rewritten("[[observers]]\n[[observers.actions]]\n[observers.actions.retry]\n"
                      "[observers.actions.headers]\n"),
            "[[observers.rules]]\n[[observers.rules.actions]]\n"
            "[observers.rules.actions.retry]\n[observers.rules.actions.headers]\n");
}

TEST(Dialect, OtherObserverHeadersStay) {
  const std::string text =
      "[observers]\n[observers.retry]\n[observers.dlq]\n[[observers.subscribe]]\n"
      "[[observers.publish]]\n[[observers.rules]]\n[[observers.rules.actions]]\n";
  EXPECT_EQ(rewritten(text), text);
}

TEST(Dialect, WhitespaceQuotesAndCommentsInHeaders) {
  EXPECT_EQ(rewritten("  [[ observers ]]  # a rule\n"), "  [[ observers.rules ]]  # a rule\n");
  EXPECT_EQ(rewritten("[[\"observers\"]]\n"), "[[\"observers\".rules]]\n");
  EXPECT_EQ(rewritten("[[observers]]\n[[ 'observers' . \"actions\" ]]\n"),
            "[[observers.rules]]\n[[ 'observers'.rules . \"actions\" ]]\n");
}

TEST(Dialect, LinesInsideMultiLineStringsAreLeftAlone) {
  const std::string text =
      "a = \"\"\"\n[[observers]]\n\"\"\"\nb = '''\n[[observers]]\n'''\n[[observers]]\n";
  EXPECT_EQ(rewritten(text),
            "a = \"\"\"\n[[observers]]\n\"\"\"\nb = '''\n[[observers]]\n'''\n"
            "[[observers.rules]]\n");
}

TEST(Dialect, LinesInsideMultiLineArraysAreLeftAlone) {
  const std::string text = "x = [\n[[\"observers\"]],\n]\n[[observers]]\n";
  EXPECT_EQ(rewritten(text), "x = [\n[[\"observers\"]],\n]\n[[observers.rules]]\n");
}

TEST(Dialect, QuotesInsideStringsDoNotConfuseTheScanner) {
  const std::string text = "a = \"[\\\"\"  # ]\nb = 'x\"'\n[[observers]]\n";
  EXPECT_EQ(rewritten(text), "a = \"[\\\"\"  # ]\nb = 'x\"'\n[[observers.rules]]\n");
}

TEST(Dialect, KeepsLineCountAndCrLf) {
  EXPECT_EQ(rewritten("[[observers]]\r\ntable = \"t\"\r\n"),
            "[[observers.rules]]\r\ntable = \"t\"\r\n");
}

TEST(Dialect, ColumnMapPointsBackAtUserText) {
  const DialectResult result = rewrite_observers_dialect("a = 1\n[[ observers ]] # x\n");
  // "[[ observers.rules ]]": the ']' at column 20 was at column 14 in the user's text.
  EXPECT_EQ(result.columns.original_column(2, 20), 14);
  EXPECT_EQ(result.columns.original_column(2, 3), 3);
  EXPECT_EQ(result.columns.original_column(2, 13), 12);  // inside ".rules"
  EXPECT_EQ(result.columns.original_column(1, 5), 5);
}

TEST(Dialect, OrphanActionIsAnErrorAtItsLine) {
  const DialectResult result =
      rewrite_observers_dialect("[observers]\n\n  [[observers.actions]]\n");
  ASSERT_EQ(result.errors.size(), 1U);
  EXPECT_EQ(result.errors[0].line, 3);
  EXPECT_EQ(result.errors[0].column, 3);
}

TEST(DialectLoad, OrphanActionReportedInUserFile) {
  EXPECT_THAT(errors_of("[observers]\n[[observers.actions]]\ntype = \"nats\"\n"
                        "[observers.actions.retry]\n"),
              ElementsAre("fraiseql.toml:2:1: [[observers.actions]] has no [[observers]] rule "
                          "before it to belong to",
                          "fraiseql.toml:4:1: [observers.actions.retry] has no [[observers]] rule "
                          "before it to belong to"));
}

TEST(DialectLoad, OrphanActionInPlainSpellingToo) {
  EXPECT_THAT(errors_of("[observers]\nnats_url = \"nats://127.0.0.1:4222\"\n"
                        "[[observers.rules.actions]]\ntype = \"nats\"\n"),
              ElementsAre("fraiseql.toml:3:1: [[observers.rules.actions]] has no [[observers]] "
                          "rule before it to belong to"));
}

TEST(DialectLoad, SyntaxErrorAfterRewrittenHeaderPointsAtUserColumn) {
  // toml++ sees "[[observers.rules]] x" and complains at the 'x' (its column 21).
  EXPECT_THAT(errors_of("[[observers]] x\n"),
              ElementsAre("fraiseql.toml:1:15: Error while parsing table header: expected a "
                          "comment or whitespace, saw 'x'"));
}

constexpr std::string_view kDialectSpelling = R"([observers]
backend = "webhook"
nats_url = "nats://127.0.0.1:4222"
[observers.retry]
max_attempts = 3

[[observers]]
table = "tb_order"
event = ["INSERT", "UPDATE"]
condition = "total > 10"

[[observers.actions]]
url = "https://example.com/hook"
[observers.actions.headers]
X-Team = "billing"
[observers.actions.retry]
backoff = "fixed"

[[observers.actions]]
type = "nats"
subject = "x.y"

[[observers.subscribe]]
subject = "a.>"
handler = "fn_a"

[[observers]]
table = "tb_user"
event = "*"
[[observers.actions]]
url = "https://example.com/user"
)";

constexpr std::string_view kPlainSpelling = R"([observers]
backend = "webhook"
nats_url = "nats://127.0.0.1:4222"
[observers.retry]
max_attempts = 3

[[observers.rules]]
table = "tb_order"
event = ["INSERT", "UPDATE"]
condition = "total > 10"

[[observers.rules.actions]]
url = "https://example.com/hook"
[observers.rules.actions.headers]
X-Team = "billing"
[observers.rules.actions.retry]
backoff = "fixed"

[[observers.rules.actions]]
type = "nats"
subject = "x.y"

[[observers.subscribe]]
subject = "a.>"
handler = "fn_a"

[[observers.rules]]
table = "tb_user"
event = "*"
[[observers.rules.actions]]
url = "https://example.com/user"
)";

TEST(DialectLoad, BothSpellingsLoadToEqualConfigs) {
  const LoadResult dialect = load_string(kDialectSpelling, "f.toml", testing::env_of({}));
  const LoadResult plain = load_string(kPlainSpelling, "f.toml", testing::env_of({}));
  ASSERT_THAT(testing::error_strings(dialect), ElementsAre());
  ASSERT_THAT(testing::error_strings(plain), ElementsAre());
  EXPECT_TRUE(*dialect.config == *plain.config);
  const auto& rules = dialect.config->observers.rules;
  ASSERT_EQ(rules.size(), 2U);
  ASSERT_EQ(rules[0].actions.size(), 2U);
  EXPECT_EQ(rules[0].actions[0].headers.at("X-Team"), "billing");
  EXPECT_EQ(rules[0].actions[0].retry.backoff, Backoff::Fixed);
  EXPECT_EQ(rules[0].actions[0].retry.max_attempts, 3);
  EXPECT_EQ(rules[0].actions[1].subject, "x.y");
  ASSERT_EQ(rules[1].actions.size(), 1U);
  EXPECT_EQ(rules[1].name, "tb_user:*");
  EXPECT_EQ(dialect.config->observers.subscribe.size(), 1U);
}

TEST(DialectLoad, MixedSpellingsInOneFile) {
  const LoadResult result = load_string(
      "[observers]\nbackend = \"webhook\"\n[[observers]]\ntable = \"a\"\nevent = \"INSERT\"\n"
      "[[observers.rules.actions]]\nurl = \"http://h/a\"\n[[observers.rules]]\ntable = \"b\"\n"
      "event = \"DELETE\"\n[[observers.actions]]\nurl = \"http://h/b\"\n",
      "f.toml", testing::env_of({}));
  ASSERT_THAT(testing::error_strings(result), ElementsAre());
  const auto& rules = result.config->observers.rules;
  ASSERT_EQ(rules.size(), 2U);
  EXPECT_EQ(rules[0].actions.at(0).url->value, "http://h/a");
  EXPECT_EQ(rules[1].actions.at(0).url->value, "http://h/b");
}

}  // namespace
}  // namespace herald::config
