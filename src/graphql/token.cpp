#include "graphql/token.hpp"

namespace herald::graphql {

std::string_view describe(TokenKind kind) {
  switch (kind) {
    case TokenKind::start_of_file:
      return "<SOF>";
    case TokenKind::end_of_file:
      return "<EOF>";
    case TokenKind::bang:
      return "\"!\"";
    case TokenKind::dollar:
      return "\"$\"";
    case TokenKind::amp:
      return "\"&\"";
    case TokenKind::paren_l:
      return "\"(\"";
    case TokenKind::paren_r:
      return "\")\"";
    case TokenKind::spread:
      return "\"...\"";
    case TokenKind::colon:
      return "\":\"";
    case TokenKind::equals:
      return "\"=\"";
    case TokenKind::at:
      return "\"@\"";
    case TokenKind::bracket_l:
      return "\"[\"";
    case TokenKind::bracket_r:
      return "\"]\"";
    case TokenKind::brace_l:
      return "\"{\"";
    case TokenKind::pipe:
      return "\"|\"";
    case TokenKind::brace_r:
      return "\"}\"";
    case TokenKind::name:
      return "Name";
    case TokenKind::int_value:
      return "Int";
    case TokenKind::float_value:
      return "Float";
    case TokenKind::string_value:
      return "String";
    case TokenKind::block_string:
      return "BlockString";
  }
  return "?";
}

std::string describe(const Token& token) {
  std::string text(describe(token.kind));
  switch (token.kind) {
    case TokenKind::name:
    case TokenKind::int_value:
    case TokenKind::float_value:
    case TokenKind::string_value:
    case TokenKind::block_string:
      text += " \"" + token.value + "\"";
      break;
    default:
      break;
  }
  return text;
}

}  // namespace herald::graphql
