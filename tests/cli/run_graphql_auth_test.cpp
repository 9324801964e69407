// [auth] in `herald run`: GraphQL requests need a bearer JWT signed HS256 with the secret
// from jwt_secret_env; without one, or with a bad one, they get 401 and reach nothing.
#include <gtest/gtest.h>

#include <cstdlib>

#include "cli/jwt_support.hpp"
#include "cli/support_graphql.hpp"

namespace herald::testing {
namespace {

constexpr const char* kSecretVariable = "HERALD_TEST_GRAPHQL_JWT_SECRET";
constexpr const char* kSecret = "the run test's secret";

class RunGraphQLAuth : public HeraldGraphQLTest {
 protected:
  void SetUp() override {
    // herald inherits the test's environment; the config names only the variable.
    ::setenv(kSecretVariable, kSecret, 1);
    more_sections_ = std::string("[auth]\njwt_secret_env = \"") + kSecretVariable + "\"\n\n";
  }
  void TearDown() override { ::unsetenv(kSecretVariable); }
};

TEST_F(RunGraphQLAuth, RequestsNeedAValidBearerToken) {
  ASSERT_NO_FATAL_FAILURE(
      start_graphql_herald("[[observers]]\ntable = \"tb_order\"\n"
                           "event = \"INSERT\"\n"));
  const std::string mutation = "mutation { createOrder(input: {customerId: 1, total: 1}) { id } }";

  GraphQLReply reply = graphql(mutation);
  EXPECT_EQ(reply.status, 401) << reply.text;
  EXPECT_EQ(reply.www_authenticate, "Bearer");
  EXPECT_EQ(reply.body["errors"][0]["message"], "an Authorization: Bearer token is required")
      << reply.text;

  authorization_ = "Bearer " + make_jwt({{"sub", "ada"}}, "not the secret");
  reply = graphql(mutation);
  EXPECT_EQ(reply.status, 401) << reply.text;
  EXPECT_EQ(reply.body["errors"][0]["message"], "the token's signature does not match")
      << reply.text;

  authorization_ = "Bearer " + make_jwt({{"sub", "ada"}, {"exp", 1}}, kSecret);
  reply = graphql(mutation);
  EXPECT_EQ(reply.status, 401) << reply.text;
  EXPECT_EQ(count_rows(db_, "tb_order"), 0) << "a refused request reached the database";

  authorization_ = "Bearer " + make_jwt({{"sub", "ada"}}, kSecret);
  reply = graphql(mutation);
  EXPECT_EQ(reply.status, 200) << reply.text;
  EXPECT_TRUE(reply.body["data"]["createOrder"]["id"].is_string()) << reply.text;
  EXPECT_EQ(count_rows(db_, "tb_order"), 1);
}

}  // namespace
}  // namespace herald::testing
