// Operations, selections and fragments (spec sections 2.3 - 2.8).
#include "graphql/parser_impl.hpp"

namespace herald::graphql {

OperationDefinition Parser::parse_operation_definition() {
  OperationDefinition operation;
  operation.loc = here();
  if (peek(TokenKind::brace_l)) {
    operation.selection_set = parse_selection_set();
    return operation;
  }
  operation.description = parse_description();
  operation.operation = parse_operation_type();
  if (peek(TokenKind::name)) operation.name = parse_name();
  operation.variable_definitions = optional_many(
      TokenKind::paren_l, [this] { return parse_variable_definition(); }, TokenKind::paren_r);
  operation.directives = parse_directives(Constness::variables_allowed);
  operation.selection_set = parse_selection_set();
  return operation;
}

OperationType Parser::parse_operation_type() {
  const Token token = expect(TokenKind::name);
  if (token.value == "query") return OperationType::query;
  if (token.value == "mutation") return OperationType::mutation;
  if (token.value == "subscription") return OperationType::subscription;
  unexpected(token);
  return OperationType::query;
}

VariableDefinition Parser::parse_variable_definition() {
  VariableDefinition definition;
  definition.loc = here();
  definition.description = parse_description();
  definition.variable = parse_variable();
  expect(TokenKind::colon);
  definition.type = parse_type_reference();
  if (skip(TokenKind::equals)) definition.default_value = parse_value(Constness::constant);
  definition.directives = parse_directives(Constness::constant);
  return definition;
}

Variable Parser::parse_variable() {
  Variable variable;
  variable.loc = here();
  expect(TokenKind::dollar);
  variable.name = parse_name();
  return variable;
}

SelectionSet Parser::parse_selection_set() {
  const DepthGuard guard(*this);
  SelectionSet set;
  set.loc = here();
  set.selections = many(
      TokenKind::brace_l, [this] { return parse_selection(); }, TokenKind::brace_r);
  return set;
}

Selection Parser::parse_selection() {
  if (peek(TokenKind::spread)) return parse_fragment();
  return Selection{parse_field()};
}

Field Parser::parse_field() {
  Field field;
  field.loc = here();
  Name name_or_alias = parse_name();
  if (skip(TokenKind::colon)) {
    field.alias = std::move(name_or_alias);
    field.name = parse_name();
  } else {
    field.name = std::move(name_or_alias);
  }
  field.arguments = parse_arguments(Constness::variables_allowed);
  field.directives = parse_directives(Constness::variables_allowed);
  if (peek(TokenKind::brace_l)) field.selection_set = parse_selection_set();
  return field;
}

std::vector<Argument> Parser::parse_arguments(Constness constness) {
  return optional_many(
      TokenKind::paren_l, [this, constness] { return parse_argument(constness); },
      TokenKind::paren_r);
}

Argument Parser::parse_argument(Constness constness) {
  Argument argument;
  argument.loc = here();
  argument.name = parse_name();
  expect(TokenKind::colon);
  argument.value = parse_value(constness);
  return argument;
}

// `...` starts a fragment spread (`...Name`) or an inline fragment (`... on T {`,
// `... @dir {`, `... {`); `on` is never a fragment name.
Selection Parser::parse_fragment() {
  const SourceLocation start = here();
  expect(TokenKind::spread);
  const bool has_type_condition = skip_keyword("on");
  if (!has_type_condition && peek(TokenKind::name)) {
    FragmentSpread spread;
    spread.loc = start;
    spread.name = parse_fragment_name();
    spread.directives = parse_directives(Constness::variables_allowed);
    return Selection{std::move(spread)};
  }
  InlineFragment fragment;
  fragment.loc = start;
  if (has_type_condition) fragment.type_condition = parse_named_type();
  fragment.directives = parse_directives(Constness::variables_allowed);
  fragment.selection_set = parse_selection_set();
  return Selection{std::move(fragment)};
}

FragmentDefinition Parser::parse_fragment_definition() {
  FragmentDefinition fragment;
  fragment.loc = here();
  fragment.description = parse_description();
  expect_keyword("fragment");
  fragment.name = parse_fragment_name();
  expect_keyword("on");
  fragment.type_condition = parse_named_type();
  fragment.directives = parse_directives(Constness::variables_allowed);
  fragment.selection_set = parse_selection_set();
  return fragment;
}

Name Parser::parse_fragment_name() {
  // graphql-js compares the token's value whatever its kind, so `fragment "on"` is an
  // "Unexpected String" rather than an "Expected Name"; kept for agreement.
  if (!failed() && current_.value == "on") {
    unexpected(current_);
  }
  return parse_name();
}

}  // namespace herald::graphql
