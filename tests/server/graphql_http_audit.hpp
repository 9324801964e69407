#pragma once
// Runs the npm graphql-http audit suite (tools/node/graphql-http-audit.mjs) against a
// GraphQL over HTTP endpoint and checks that every MUST audit passed; every verdict and
// the MUST/SHOULD/MAY counts are printed. Needs HERALD_NODE_EXECUTABLE and
// HERALD_SOURCE_DIR defined for the test target.

#include <gtest/gtest.h>

#include <chrono>
#include <iostream>
#include <string>

#include "support/child_process.hpp"

namespace herald::testing {

inline void expect_graphql_http_audit_passes(const std::string& url) {
  ChildProcess audit(
      {HERALD_NODE_EXECUTABLE, HERALD_SOURCE_DIR "/tools/node/graphql-http-audit.mjs", url},
      SpawnOptions().in_dir(HERALD_SOURCE_DIR "/tools/node"));
  auto status = audit.wait_for_exit(std::chrono::seconds(120));
  ASSERT_TRUE(status) << "the audit did not finish:\n" << audit.output_tail();
  const std::string output = audit.output();
  std::cout << output;
  EXPECT_TRUE(status->exited_with(0)) << *status << "\n" << output;
  EXPECT_NE(output.find("MUST "), std::string::npos) << output;
  // The script starts a failed MUST audit's line with "error", a failed SHOULD's with "warn".
  EXPECT_EQ(output.find("\nerror"), std::string::npos) << output;
  EXPECT_NE(output.rfind("error", 0), 0u) << output;
}

}  // namespace herald::testing
