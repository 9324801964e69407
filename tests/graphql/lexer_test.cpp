#include <gtest/gtest.h>

#include "graphql/lexer.hpp"

namespace herald::graphql {
namespace {

TEST(GraphqlLexer, ReadsPunctuatorsAndNames) {
  Lexer lexer("{ hello }");
  auto token = lexer.next();
  ASSERT_TRUE(token);
  EXPECT_EQ(token->kind, TokenKind::brace_l);
}

}  // namespace
}  // namespace herald::graphql
