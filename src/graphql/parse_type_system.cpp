// Type-system definitions and extensions (spec section 3).
#include <array>
#include <fmt/format.h>

#include "graphql/parser_impl.hpp"

namespace herald::graphql {
namespace {

constexpr std::array<std::string_view, 20> kDirectiveLocations = {"QUERY",
                                                                  "MUTATION",
                                                                  "SUBSCRIPTION",
                                                                  "FIELD",
                                                                  "FRAGMENT_DEFINITION",
                                                                  "FRAGMENT_SPREAD",
                                                                  "INLINE_FRAGMENT",
                                                                  "VARIABLE_DEFINITION",
                                                                  "SCHEMA",
                                                                  "SCALAR",
                                                                  "OBJECT",
                                                                  "FIELD_DEFINITION",
                                                                  "ARGUMENT_DEFINITION",
                                                                  "INTERFACE",
                                                                  "UNION",
                                                                  "ENUM",
                                                                  "ENUM_VALUE",
                                                                  "INPUT_OBJECT",
                                                                  "INPUT_FIELD_DEFINITION",
                                                                  "DIRECTIVE_DEFINITION"};

}  // namespace

SchemaDefinition Parser::parse_schema_definition() {
  SchemaDefinition schema;
  schema.loc = here();
  schema.description = parse_description();
  expect_keyword("schema");
  schema.directives = parse_directives(Constness::constant);
  schema.operation_types = many(
      TokenKind::brace_l, [this] { return parse_operation_type_definition(); }, TokenKind::brace_r);
  return schema;
}

OperationTypeDefinition Parser::parse_operation_type_definition() {
  OperationTypeDefinition definition;
  definition.loc = here();
  definition.operation = parse_operation_type();
  expect(TokenKind::colon);
  definition.type = parse_named_type();
  return definition;
}

ScalarTypeDefinition Parser::parse_scalar_type_definition() {
  ScalarTypeDefinition scalar;
  scalar.loc = here();
  scalar.description = parse_description();
  expect_keyword("scalar");
  scalar.name = parse_name();
  scalar.directives = parse_directives(Constness::constant);
  return scalar;
}

ObjectTypeDefinition Parser::parse_object_type_definition() {
  ObjectTypeDefinition object;
  object.loc = here();
  object.description = parse_description();
  expect_keyword("type");
  object.name = parse_name();
  object.interfaces = parse_implements_interfaces();
  object.directives = parse_directives(Constness::constant);
  object.fields = parse_fields_definition();
  return object;
}

std::vector<NamedType> Parser::parse_implements_interfaces() {
  if (!skip_keyword("implements")) return {};
  return delimited_many(TokenKind::amp, [this] { return parse_named_type(); });
}

std::vector<FieldDefinition> Parser::parse_fields_definition() {
  return optional_many(
      TokenKind::brace_l, [this] { return parse_field_definition(); }, TokenKind::brace_r);
}

FieldDefinition Parser::parse_field_definition() {
  FieldDefinition field;
  field.loc = here();
  field.description = parse_description();
  field.name = parse_name();
  field.arguments = parse_argument_definitions();
  expect(TokenKind::colon);
  field.type = parse_type_reference();
  field.directives = parse_directives(Constness::constant);
  return field;
}

std::vector<InputValueDefinition> Parser::parse_argument_definitions() {
  return optional_many(
      TokenKind::paren_l, [this] { return parse_input_value_definition(); }, TokenKind::paren_r);
}

InputValueDefinition Parser::parse_input_value_definition() {
  InputValueDefinition input;
  input.loc = here();
  input.description = parse_description();
  input.name = parse_name();
  expect(TokenKind::colon);
  input.type = parse_type_reference();
  if (skip(TokenKind::equals)) input.default_value = parse_value(Constness::constant);
  input.directives = parse_directives(Constness::constant);
  return input;
}

InterfaceTypeDefinition Parser::parse_interface_type_definition() {
  InterfaceTypeDefinition interface;
  interface.loc = here();
  interface.description = parse_description();
  expect_keyword("interface");
  interface.name = parse_name();
  interface.interfaces = parse_implements_interfaces();
  interface.directives = parse_directives(Constness::constant);
  interface.fields = parse_fields_definition();
  return interface;
}

UnionTypeDefinition Parser::parse_union_type_definition() {
  UnionTypeDefinition union_type;
  union_type.loc = here();
  union_type.description = parse_description();
  expect_keyword("union");
  union_type.name = parse_name();
  union_type.directives = parse_directives(Constness::constant);
  union_type.types = parse_union_member_types();
  return union_type;
}

std::vector<NamedType> Parser::parse_union_member_types() {
  if (!skip(TokenKind::equals)) return {};
  return delimited_many(TokenKind::pipe, [this] { return parse_named_type(); });
}

EnumTypeDefinition Parser::parse_enum_type_definition() {
  EnumTypeDefinition enum_type;
  enum_type.loc = here();
  enum_type.description = parse_description();
  expect_keyword("enum");
  enum_type.name = parse_name();
  enum_type.directives = parse_directives(Constness::constant);
  enum_type.values = parse_enum_values_definition();
  return enum_type;
}

std::vector<EnumValueDefinition> Parser::parse_enum_values_definition() {
  return optional_many(
      TokenKind::brace_l, [this] { return parse_enum_value_definition(); }, TokenKind::brace_r);
}

EnumValueDefinition Parser::parse_enum_value_definition() {
  EnumValueDefinition value;
  value.loc = here();
  value.description = parse_description();
  // As in parse_fragment_name, graphql-js checks the value of any kind of token.
  if (!failed() &&
      (current_.value == "true" || current_.value == "false" || current_.value == "null")) {
    fail(here(),
         fmt::format("{} is reserved and cannot be used for an enum value.", describe(current_)));
  }
  value.name = parse_name();
  value.directives = parse_directives(Constness::constant);
  return value;
}

InputObjectTypeDefinition Parser::parse_input_object_type_definition() {
  InputObjectTypeDefinition input;
  input.loc = here();
  input.description = parse_description();
  expect_keyword("input");
  input.name = parse_name();
  input.directives = parse_directives(Constness::constant);
  input.fields = parse_input_fields_definition();
  return input;
}

std::vector<InputValueDefinition> Parser::parse_input_fields_definition() {
  return optional_many(
      TokenKind::brace_l, [this] { return parse_input_value_definition(); }, TokenKind::brace_r);
}

DirectiveDefinition Parser::parse_directive_definition() {
  DirectiveDefinition directive;
  directive.loc = here();
  directive.description = parse_description();
  expect_keyword("directive");
  expect(TokenKind::at);
  directive.name = parse_name();
  directive.arguments = parse_argument_definitions();
  directive.repeatable = skip_keyword("repeatable");
  expect_keyword("on");
  directive.locations =
      delimited_many(TokenKind::pipe, [this] { return parse_directive_location(); });
  return directive;
}

Name Parser::parse_directive_location() {
  const Token start = current_;
  Name name = parse_name();
  if (failed()) return name;
  for (const std::string_view location : kDirectiveLocations) {
    if (name.value == location) return name;
  }
  unexpected(start);
  return name;
}

}  // namespace herald::graphql
