// Values, directives, type references and descriptions (spec sections 2.9 - 2.12, 3.2).
#include <fmt/format.h>

#include "graphql/parser_impl.hpp"

namespace herald::graphql {

Value Parser::parse_value(Constness constness) {
  const Token token = current_;
  Value value;
  value.loc = token.location;
  if (failed()) return value;
  switch (token.kind) {
    case TokenKind::bracket_l:
      return parse_list(constness);
    case TokenKind::brace_l:
      return parse_object(constness);
    case TokenKind::int_value:
      advance();
      value.node = IntValue{token.value};
      return value;
    case TokenKind::float_value:
      advance();
      value.node = FloatValue{token.value};
      return value;
    case TokenKind::string_value:
    case TokenKind::block_string:
      advance();
      value.node = StringValue{token.value, token.kind == TokenKind::block_string};
      return value;
    case TokenKind::name:
      advance();
      if (token.value == "true" || token.value == "false") {
        value.node = BooleanValue{token.value == "true"};
      } else if (token.value == "null") {
        value.node = NullValue{};
      } else {
        value.node = EnumValue{token.value};
      }
      return value;
    case TokenKind::dollar:
      if (constness == Constness::variables_allowed) {
        value.node = parse_variable();
        return value;
      }
      advance();
      if (peek(TokenKind::name)) {
        fail(token.location,
             fmt::format("Unexpected variable \"${}\" in constant value.", current_.value));
      } else {
        unexpected(token);
      }
      return value;
    default:
      unexpected(token);
      return value;
  }
}

Value Parser::parse_list(Constness constness) {
  const DepthGuard guard(*this);
  Value value;
  value.loc = here();
  value.node = ListValue{any(
      TokenKind::bracket_l, [this, constness] { return parse_value(constness); },
      TokenKind::bracket_r)};
  return value;
}

Value Parser::parse_object(Constness constness) {
  const DepthGuard guard(*this);
  Value value;
  value.loc = here();
  const auto field = [this, constness] {
    ObjectField object_field;
    object_field.loc = here();
    object_field.name = parse_name();
    expect(TokenKind::colon);
    object_field.value = parse_value(constness);
    return object_field;
  };
  value.node = ObjectValue{any(TokenKind::brace_l, field, TokenKind::brace_r)};
  return value;
}

std::vector<Directive> Parser::parse_directives(Constness constness) {
  std::vector<Directive> directives;
  while (peek(TokenKind::at)) directives.push_back(parse_directive(constness));
  return directives;
}

Directive Parser::parse_directive(Constness constness) {
  Directive directive;
  directive.loc = here();
  expect(TokenKind::at);
  directive.name = parse_name();
  directive.arguments = parse_arguments(constness);
  return directive;
}

TypeRef Parser::parse_type_reference() {
  TypeRef type;
  type.loc = here();
  if (skip(TokenKind::bracket_l)) {
    const DepthGuard guard(*this);
    type.kind = TypeRefKind::list;
    type.of_type = Box<TypeRef>(parse_type_reference());
    expect(TokenKind::bracket_r);
  } else {
    type.named = parse_named_type();
  }
  if (skip(TokenKind::bang)) {
    TypeRef non_null;
    non_null.loc = type.loc;
    non_null.kind = TypeRefKind::non_null;
    non_null.of_type = Box<TypeRef>(std::move(type));
    return non_null;
  }
  return type;
}

NamedType Parser::parse_named_type() {
  NamedType type;
  type.loc = here();
  type.name = parse_name();
  return type;
}

std::optional<Description> Parser::parse_description() {
  if (!peek(TokenKind::string_value) && !peek(TokenKind::block_string)) return std::nullopt;
  Description description{current_.location, current_.value,
                          current_.kind == TokenKind::block_string};
  advance();
  return description;
}

}  // namespace herald::graphql
