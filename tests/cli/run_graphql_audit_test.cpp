// The npm graphql-http audit suite (GraphQL over HTTP spec) against `herald run` itself:
// every MUST audit passes; the SHOULD and MAY counts are printed.
#include <gtest/gtest.h>

#include <iostream>

#include "cli/support_graphql.hpp"
#include "support/child_process.hpp"

namespace herald::testing {
namespace {

using namespace std::chrono_literals;

class RunGraphQLAudit : public HeraldGraphQLTest {};

TEST_F(RunGraphQLAudit, EveryMustAuditPassesAgainstHeraldRun) {
  ASSERT_NO_FATAL_FAILURE(start_graphql_herald(R"(
[[observers]]
table = "tb_order"
event = "INSERT"
)"));

  ChildProcess audit({HERALD_NODE_EXECUTABLE,
                      HERALD_SOURCE_DIR "/tools/node/graphql-http-audit.mjs", graphql_url()},
                     SpawnOptions().in_dir(HERALD_SOURCE_DIR "/tools/node"));
  auto status = audit.wait_for_exit(120s);
  ASSERT_TRUE(status) << "the audit did not finish:\n" << audit.output_tail();
  const std::string output = audit.output();
  std::cout << output;  // every audit's verdict and the MUST/SHOULD/MAY summary
  EXPECT_TRUE(status->exited_with(0)) << *status << "\n" << output;
  EXPECT_NE(output.find("MUST "), std::string::npos) << output;
  // The script starts a failed MUST audit's line with "error", a failed SHOULD's with "warn".
  EXPECT_EQ(output.find("\nerror"), std::string::npos) << output;
  EXPECT_NE(output.rfind("error", 0), 0u) << output;
  EXPECT_TRUE(herald_->running()) << herald_->log_tail();
}

}  // namespace
}  // namespace herald::testing
