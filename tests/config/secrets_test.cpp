// Values read through `*_env` keys (and URLs that may carry passwords) never appear
// in an error message.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "config_test_support.hpp"

namespace herald::config {
namespace {

using ::testing::Each;
using ::testing::ElementsAre;
using testing::env_of;
using testing::error_strings;
using ::testing::HasSubstr;
using ::testing::Not;

const std::string kSecret = "S3CR3T-value-9f8e7d";

const testing::Env kSecretEnv = {{"HOOK_URL", "ftp://" + kSecret + "@example.com/hook"},
                                 {"HOOK_SECRET", kSecret},
                                 {"JWT_SECRET", kSecret},
                                 {"PG_URL", "postgres://app:" + kSecret + "@db/app"},
                                 {"NATS_URL", "nats://app:" + kSecret + "@nats:4222"}};

TEST(Secrets, NeverEchoedInErrors) {
  const LoadResult result = load_string(R"([database]
url_env = "PG_URL"
url = "${PG_URL}"
[auth]
jwt_secret_env = "JWT_SECRET"
[observers]
nats_url = "${NATS_URL}"
slot = "Bad"
[[observers]]
table = "tb_order"
event = "INSERT"
[[observers.actions]]
url_env = "HOOK_URL"
secret_env = "HOOK_SECRET"
subject = "x"
[[observers.actions]]
type = "nats"
url = "${NATS_URL}"
)",
                                        "fraiseql.toml", env_of(kSecretEnv));
  const auto errors = error_strings(result);
  EXPECT_THAT(errors,
              ElementsAre("fraiseql.toml:2:1: 'url' and 'url_env' are both set; keep one",
                          "fraiseql.toml:8:8: invalid replication slot name \"Bad\": use "
                          "lower-case letters, digits and '_', at most 63 characters",
                          "fraiseql.toml:13:11: environment variable HOOK_URL named by 'url_env' "
                          "must hold an http:// or https:// URL",
                          "fraiseql.toml:15:1: 'subject' is only for nats and redis actions",
                          "fraiseql.toml:18:1: 'url' is only for webhook actions; a nats action "
                          "publishes to the rule's 'subject' or its own"));
  EXPECT_THAT(errors, Each(Not(HasSubstr(kSecret))));
}

TEST(Secrets, KeptWithTheVariableTheyCameFrom) {
  const LoadResult result = load_string(R"([database]
url_env = "PG_URL"
[auth]
jwt_secret_env = "JWT_SECRET"
[observers]
backend = "webhook"
[[observers]]
table = "tb_order"
event = "INSERT"
[[observers.actions]]
url = "https://example.com/hook"
secret_env = "HOOK_SECRET"
)",
                                        "fraiseql.toml", env_of(kSecretEnv));
  ASSERT_THAT(error_strings(result), ElementsAre());
  const Config& config = *result.config;
  EXPECT_EQ(config.database.url->from_env, "PG_URL");
  EXPECT_EQ(config.auth->jwt_secret, (Secret{kSecret, "JWT_SECRET"}));
  EXPECT_EQ(config.observers.rules.at(0).actions.at(0).secret, (Secret{kSecret, "HOOK_SECRET"}));
}

TEST(Secrets, WebhookUrlWrittenInTheFileIsNotEchoedEither) {
  const auto errors = testing::errors_of(R"([observers]
backend = "webhook"
[[observers]]
table = "tb_order"
event = "INSERT"
[[observers.actions]]
url = "hxxps://token-abc123@example.com"
)");
  EXPECT_THAT(errors, ElementsAre("fraiseql.toml:7:7: 'url' must be an http:// or https:// URL"));
}

}  // namespace
}  // namespace herald::config
