// The npm graphql-http audit suite (GraphQL over HTTP spec) against `herald run` itself:
// every MUST audit passes; the SHOULD and MAY counts are printed.
#include <gtest/gtest.h>

#include "cli/support_graphql.hpp"
#include "server/graphql_http_audit.hpp"

namespace herald::testing {
namespace {

class RunGraphQLAudit : public HeraldGraphQLTest {};

TEST_F(RunGraphQLAudit, EveryMustAuditPassesAgainstHeraldRun) {
  ASSERT_NO_FATAL_FAILURE(start_graphql_herald(R"(
[[observers]]
table = "tb_order"
event = "INSERT"
)"));

  expect_graphql_http_audit_passes(graphql_url());
  EXPECT_TRUE(herald_->running()) << herald_->log_tail();
}

}  // namespace
}  // namespace herald::testing
