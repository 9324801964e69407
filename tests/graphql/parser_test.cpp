#include <gtest/gtest.h>

#include "graphql/parser.hpp"

namespace herald::graphql {
namespace {

TEST(GraphqlParser, ParsesShorthandQuery) {
  auto document = parse("{ a }");
  ASSERT_TRUE(document);
  EXPECT_EQ(document->definitions.size(), 1U);
}

}  // namespace
}  // namespace herald::graphql
