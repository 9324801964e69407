#pragma once
// The recursive-descent parser behind parse(). Internal to herald_graphql.
//
// Errors are sticky: the first one is kept, every later step becomes a no-op (no token
// matches), and the loops stop, so the grammar functions read like the grammar instead
// of checking a status after every call. Productions follow graphql-js's parser
// decision for decision, which is what makes the error messages and positions agree.

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "graphql/ast.hpp"
#include "graphql/lexer.hpp"
#include "graphql/parser.hpp"

namespace herald::graphql {

enum class Constness { variables_allowed, constant };

class Parser {
 public:
  Parser(std::string_view source, const ParseOptions& options)
      : lexer_(source), options_(options) {}

  ParseResult parse_document();

 private:
  // ---- token stream (parser.cpp)
  bool failed() const { return error_.has_value(); }
  void fail(SourceLocation location, std::string description);
  void advance();
  const Token& lookahead();
  bool peek(TokenKind kind) const { return !failed() && current_.kind == kind; }
  bool skip(TokenKind kind);
  Token expect(TokenKind kind);
  void expect_keyword(std::string_view keyword);
  bool skip_keyword(std::string_view keyword);
  void unexpected(const Token& token);
  SourceLocation here() const { return current_.location; }

  // Increments the nesting depth for its lifetime; fails the parse when too deep.
  class DepthGuard {
   public:
    explicit DepthGuard(Parser& parser);
    ~DepthGuard() { --parser_.depth_; }
    DepthGuard(const DepthGuard&) = delete;
    DepthGuard& operator=(const DepthGuard&) = delete;

   private:
    Parser& parser_;
  };

  // item() until `close`; at least one item (graphql-js's `many`).
  template <typename Item>
  auto many(TokenKind open, Item item, TokenKind close) {
    std::vector<decltype(item())> items;
    expect(open);
    do {
      items.push_back(item());
    } while (!failed() && !skip(close));
    return items;
  }
  // Like many(), but the whole bracketed list may be absent.
  template <typename Item>
  auto optional_many(TokenKind open, Item item, TokenKind close) {
    std::vector<decltype(item())> items;
    if (skip(open)) {
      do {
        items.push_back(item());
      } while (!failed() && !skip(close));
    }
    return items;
  }
  // Zero or more items between `open` and `close` (graphql-js's `any`).
  template <typename Item>
  auto any(TokenKind open, Item item, TokenKind close) {
    std::vector<decltype(item())> items;
    expect(open);
    while (!failed() && !skip(close)) items.push_back(item());
    return items;
  }
  // item (delimiter item)*, with an optional leading delimiter.
  template <typename Item>
  auto delimited_many(TokenKind delimiter, Item item) {
    std::vector<decltype(item())> items;
    skip(delimiter);
    do {
      items.push_back(item());
    } while (!failed() && skip(delimiter));
    return items;
  }

  // ---- documents and executable definitions (parser.cpp, parse_executable.cpp)
  Definition parse_definition();
  OperationDefinition parse_operation_definition();
  OperationType parse_operation_type();
  VariableDefinition parse_variable_definition();
  Variable parse_variable();
  SelectionSet parse_selection_set();
  Selection parse_selection();
  Field parse_field();
  std::vector<Argument> parse_arguments(Constness constness);
  Argument parse_argument(Constness constness);
  Selection parse_fragment();
  FragmentDefinition parse_fragment_definition();
  Name parse_fragment_name();
  Name parse_name();

  // ---- values, directives, types (parse_values.cpp)
  Value parse_value(Constness constness);
  Value parse_list(Constness constness);
  Value parse_object(Constness constness);
  std::vector<Directive> parse_directives(Constness constness);
  Directive parse_directive(Constness constness);
  TypeRef parse_type_reference();
  NamedType parse_named_type();
  std::optional<Description> parse_description();

  // ---- type system (parse_type_system.cpp)
  SchemaDefinition parse_schema_definition();
  OperationTypeDefinition parse_operation_type_definition();
  ScalarTypeDefinition parse_scalar_type_definition();
  ObjectTypeDefinition parse_object_type_definition();
  std::vector<NamedType> parse_implements_interfaces();
  std::vector<FieldDefinition> parse_fields_definition();
  FieldDefinition parse_field_definition();
  std::vector<InputValueDefinition> parse_argument_definitions();
  InputValueDefinition parse_input_value_definition();
  InterfaceTypeDefinition parse_interface_type_definition();
  UnionTypeDefinition parse_union_type_definition();
  std::vector<NamedType> parse_union_member_types();
  EnumTypeDefinition parse_enum_type_definition();
  std::vector<EnumValueDefinition> parse_enum_values_definition();
  EnumValueDefinition parse_enum_value_definition();
  InputObjectTypeDefinition parse_input_object_type_definition();
  std::vector<InputValueDefinition> parse_input_fields_definition();
  Definition parse_type_system_extension();
  SchemaDefinition parse_schema_extension();
  ScalarTypeDefinition parse_scalar_type_extension();
  ObjectTypeDefinition parse_object_type_extension();
  InterfaceTypeDefinition parse_interface_type_extension();
  UnionTypeDefinition parse_union_type_extension();
  EnumTypeDefinition parse_enum_type_extension();
  InputObjectTypeDefinition parse_input_object_type_extension();
  DirectiveDefinition parse_directive_definition();
  Name parse_directive_location();

  Lexer lexer_;
  ParseOptions options_;
  Token current_;  // starts as <SOF>
  std::optional<Token> lookahead_;
  std::optional<SyntaxError> error_;
  std::size_t token_count_ = 0;
  std::uint32_t depth_ = 0;
};

}  // namespace herald::graphql
