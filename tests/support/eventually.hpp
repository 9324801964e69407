#pragma once
// Waiting for a condition in a test: poll it until it holds or a deadline passes.
// Tests wait for outcomes this way instead of sleeping for a guessed duration.

#include <gtest/gtest.h>

#include <chrono>
#include <thread>
#include <utility>

namespace herald::testing {

// Polls `condition` (a callable returning something testable as bool) every `interval`
// until it is true or `timeout` has passed; the condition is always checked once more
// at the deadline. Use as ASSERT_TRUE(eventually([&] { return ...; }, 5s)).
template <class Condition>
::testing::AssertionResult eventually(
    Condition&& condition, std::chrono::milliseconds timeout = std::chrono::seconds(10),
    std::chrono::milliseconds interval = std::chrono::milliseconds(10)) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (static_cast<bool>(condition())) return ::testing::AssertionSuccess();
    std::this_thread::sleep_for(interval);
  }
  if (static_cast<bool>(condition())) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << "condition not met within " << timeout.count() << " ms";
}

}  // namespace herald::testing
