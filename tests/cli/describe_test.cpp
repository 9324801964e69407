#include "cli/describe.hpp"

#include <gtest/gtest.h>

namespace herald::cli {
namespace {

TEST(RedactPassword, HidesPasswordInUri) {
  EXPECT_EQ(redact_password("postgres://app:s3cret@db:5432/shop"),
            "postgres://app:***@db:5432/shop");
}

TEST(RedactPassword, LeavesUriWithoutPasswordAlone) {
  EXPECT_EQ(redact_password("postgresql://app@db/shop"), "postgresql://app@db/shop");
  EXPECT_EQ(redact_password("postgresql:///shop?host=/tmp"), "postgresql:///shop?host=/tmp");
}

TEST(RedactPassword, HidesPasswordInKeyValueForm) {
  EXPECT_EQ(redact_password("host=db password=s3cret dbname=shop"),
            "host=db password=*** dbname=shop");
  EXPECT_EQ(redact_password("host=db password = 'a b\\'c' dbname=shop"),
            "host=db password=*** dbname=shop");
}

config::Config sample() {
  config::Config c;
  c.path = "fraiseql.toml";
  c.observers.nats_url = "nats://127.0.0.1:4222";
  config::Rule paid;
  paid.name = "order-paid";
  paid.schema = "public";
  paid.table = "tb_order";
  paid.events = {config::Operation::Update};
  paid.condition = "status == 'paid'";
  paid.changed = {"status"};
  c.observers.rules.push_back(paid);

  config::Rule users;
  users.name = "tb_user:*";
  users.schema = "public";
  users.table = "tb_user";
  users.events = {config::Operation::Insert, config::Operation::Delete};
  config::Action hook;
  hook.type = config::ActionType::Webhook;
  hook.url = config::Secret{"https://hooks.example/secret-path", "USER_HOOK"};
  hook.secret = config::Secret{"whsec_abc", "USER_HOOK_SECRET"};
  hook.retry.max_attempts = 3;
  hook.retry.backoff = config::Backoff::Fixed;
  hook.retry.initial_delay_ms = 2000;
  users.actions.push_back(hook);
  c.observers.rules.push_back(users);
  return c;
}

TEST(Describe, ShowsEachRuleWithItsTargetsAndRetryPolicy) {
  std::string text = describe(sample());
  EXPECT_NE(text.find("  order-paid\n    on        public.tb_order UPDATE\n"
                      "    when      status == 'paid'\n    changed   status\n"
                      "    deliver   nats fraiseql.order.updated\n"
                      "    retry     10 attempts, exponential backoff from 500 ms up to 5 min "
                      "(±20% jitter)\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("    on        public.tb_user INSERT | DELETE\n"), std::string::npos) << text;
  EXPECT_NE(text.find("    deliver   webhook POST $USER_HOOK (timeout 10 s, signed with "
                      "$USER_HOOK_SECRET)\n    retry     3 attempts, every 2 s (±20% jitter)\n"),
            std::string::npos)
      << text;
}

TEST(Describe, NeverPrintsSecretValues) {
  std::string text = describe(sample());
  EXPECT_EQ(text.find("secret-path"), std::string::npos) << text;
  EXPECT_EQ(text.find("whsec_abc"), std::string::npos) << text;
}

TEST(Describe, DerivesOneSubjectPerOperation) {
  config::Config c = sample();
  c.observers.rules[0].events = {config::Operation::Insert, config::Operation::Update,
                                 config::Operation::Delete};
  c.observers.subject_prefix = "shop";
  std::string text = describe(c);
  EXPECT_NE(text.find("deliver   nats shop.order.created, shop.order.updated, shop.order.deleted"),
            std::string::npos)
      << text;
}

TEST(Describe, SaysWhenNoDatabaseIsConfigured) {
  std::string text = describe(sample());
  EXPECT_NE(text.find("database    not configured: set [database] url or DATABASE_URL"),
            std::string::npos);
}

}  // namespace
}  // namespace herald::cli
