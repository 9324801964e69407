// Type-system extensions (`extend ...`, spec section 3): like the definitions, minus the
// description, and each must add something.
#include "graphql/parser_impl.hpp"

namespace herald::graphql {

Definition Parser::parse_type_system_extension() {
  const Token keyword = lookahead();
  if (failed()) return {};
  if (keyword.kind == TokenKind::name) {
    const std::string& word = keyword.value;
    if (word == "schema") return parse_schema_extension();
    if (word == "scalar") return parse_scalar_type_extension();
    if (word == "type") return parse_object_type_extension();
    if (word == "interface") return parse_interface_type_extension();
    if (word == "union") return parse_union_type_extension();
    if (word == "enum") return parse_enum_type_extension();
    if (word == "input") return parse_input_object_type_extension();
  }
  unexpected(keyword);
  return {};
}

SchemaDefinition Parser::parse_schema_extension() {
  SchemaDefinition schema;
  schema.loc = here();
  schema.is_extension = true;
  expect_keyword("extend");
  expect_keyword("schema");
  schema.directives = parse_directives(Constness::constant);
  schema.operation_types = optional_many(
      TokenKind::brace_l, [this] { return parse_operation_type_definition(); }, TokenKind::brace_r);
  if (schema.directives.empty() && schema.operation_types.empty()) unexpected(current_);
  return schema;
}

ScalarTypeDefinition Parser::parse_scalar_type_extension() {
  ScalarTypeDefinition scalar;
  scalar.loc = here();
  scalar.is_extension = true;
  expect_keyword("extend");
  expect_keyword("scalar");
  scalar.name = parse_name();
  scalar.directives = parse_directives(Constness::constant);
  if (scalar.directives.empty()) unexpected(current_);
  return scalar;
}

ObjectTypeDefinition Parser::parse_object_type_extension() {
  ObjectTypeDefinition object;
  object.loc = here();
  object.is_extension = true;
  expect_keyword("extend");
  expect_keyword("type");
  object.name = parse_name();
  object.interfaces = parse_implements_interfaces();
  object.directives = parse_directives(Constness::constant);
  object.fields = parse_fields_definition();
  if (object.interfaces.empty() && object.directives.empty() && object.fields.empty()) {
    unexpected(current_);
  }
  return object;
}

InterfaceTypeDefinition Parser::parse_interface_type_extension() {
  InterfaceTypeDefinition interface;
  interface.loc = here();
  interface.is_extension = true;
  expect_keyword("extend");
  expect_keyword("interface");
  interface.name = parse_name();
  interface.interfaces = parse_implements_interfaces();
  interface.directives = parse_directives(Constness::constant);
  interface.fields = parse_fields_definition();
  if (interface.interfaces.empty() && interface.directives.empty() && interface.fields.empty()) {
    unexpected(current_);
  }
  return interface;
}

UnionTypeDefinition Parser::parse_union_type_extension() {
  UnionTypeDefinition union_type;
  union_type.loc = here();
  union_type.is_extension = true;
  expect_keyword("extend");
  expect_keyword("union");
  union_type.name = parse_name();
  union_type.directives = parse_directives(Constness::constant);
  union_type.types = parse_union_member_types();
  if (union_type.directives.empty() && union_type.types.empty()) unexpected(current_);
  return union_type;
}

EnumTypeDefinition Parser::parse_enum_type_extension() {
  EnumTypeDefinition enum_type;
  enum_type.loc = here();
  enum_type.is_extension = true;
  expect_keyword("extend");
  expect_keyword("enum");
  enum_type.name = parse_name();
  enum_type.directives = parse_directives(Constness::constant);
  enum_type.values = parse_enum_values_definition();
  if (enum_type.directives.empty() && enum_type.values.empty()) unexpected(current_);
  return enum_type;
}

InputObjectTypeDefinition Parser::parse_input_object_type_extension() {
  InputObjectTypeDefinition input;
  input.loc = here();
  input.is_extension = true;
  expect_keyword("extend");
  expect_keyword("input");
  input.name = parse_name();
  input.directives = parse_directives(Constness::constant);
  input.fields = parse_input_fields_definition();
  if (input.directives.empty() && input.fields.empty()) unexpected(current_);
  return input;
}

}  // namespace herald::graphql
