#include <gtest/gtest.h>

#include "config/dialect.hpp"

namespace herald::config {
namespace {

TEST(Dialect, RewritesRuleHeader) {
  const auto result = rewrite_observers_dialect("[[observers]]\n");
  EXPECT_EQ(result.text, "[[observers.rules]]\n");
}

}  // namespace
}  // namespace herald::config
