#pragma once
// The GraphQL document AST (spec sections 2 and 3; node names follow graphql-js).
//
// A Document owns all its text (no views into the source), is immutable once parsed and
// holds no per-request state, so one parsed document can be shared read-only, e.g. as
// std::shared_ptr<const Document> in a cache, by every HTTP request and WebSocket
// subscription that sends the same text. Validation and execution walk it by
// std::visit over the variants below.
//
// Every node carries `loc`: the line and column of its first token (for a definition
// with a description, the description). Lists that the grammar makes optional are
// simply empty when absent.

#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "graphql/box.hpp"
#include "graphql/source_text.hpp"

namespace herald::graphql {

struct Name {
  SourceLocation loc;
  std::string value;
};

// ---- Values (section 2.9) ---------------------------------------------------------
struct Value;
struct ObjectField;

struct Variable {
  SourceLocation loc;  // the `$`
  Name name;
};
struct IntValue {
  std::string text;  // as written, e.g. "-12"; range checks belong to input coercion
};
struct FloatValue {
  std::string text;  // as written, e.g. "1.5e10"
};
struct StringValue {
  std::string value;   // decoded (escapes resolved, block strings dedented), UTF-8
  bool block = false;  // written as """..."""
};
struct BooleanValue {
  bool value = false;
};
struct NullValue {};
struct EnumValue {
  std::string value;
};
struct ListValue {
  std::vector<Value> values;
};
struct ObjectValue {
  std::vector<ObjectField> fields;
};

// In a const context (default values, type-system directives) the parser has already
// rejected variables.
struct Value {
  SourceLocation loc;
  std::variant<Variable, IntValue, FloatValue, StringValue, BooleanValue, NullValue, EnumValue,
               ListValue, ObjectValue>
      node;
};
struct ObjectField {
  SourceLocation loc;
  Name name;
  Value value;
};

// A description: a string literal before a definition.
struct Description {
  SourceLocation loc;
  std::string value;
  bool block = false;
};

// ---- Directives and types (sections 2.12, 2.11) ------------------------------------
struct Argument {
  SourceLocation loc;
  Name name;
  Value value;
};
struct Directive {
  SourceLocation loc;  // the `@`
  Name name;
  std::vector<Argument> arguments;
};

struct NamedType {
  SourceLocation loc;
  Name name;
};

enum class TypeRefKind { named, list, non_null };

// A type reference: `T`, `[T]`, `T!`. A non-null type's loc is that of the type it wraps.
struct TypeRef {
  SourceLocation loc;
  TypeRefKind kind = TypeRefKind::named;
  NamedType named;       // kind == named
  Box<TypeRef> of_type;  // kind == list or non_null
};

// ---- Executable definitions (section 2.3 - 2.8) ------------------------------------
enum class OperationType { query, mutation, subscription };

struct VariableDefinition {
  SourceLocation loc;
  std::optional<Description> description;  // graphql-js 16.11+ accepts these
  Variable variable;
  TypeRef type;
  std::optional<Value> default_value;  // const
  std::vector<Directive> directives;   // const
};

struct Selection;
struct SelectionSet {
  SourceLocation loc;  // the `{`
  std::vector<Selection> selections;
};
struct Field {
  SourceLocation loc;
  std::optional<Name> alias;
  Name name;
  std::vector<Argument> arguments;
  std::vector<Directive> directives;
  std::optional<SelectionSet> selection_set;

  // The key of this field in the response: the alias if there is one, else the name.
  const std::string& response_key() const { return alias ? alias->value : name.value; }
};
struct FragmentSpread {
  SourceLocation loc;  // the `...`
  Name name;
  std::vector<Directive> directives;
};
struct InlineFragment {
  SourceLocation loc;  // the `...`
  std::optional<NamedType> type_condition;
  std::vector<Directive> directives;
  SelectionSet selection_set;
};
struct Selection {
  std::variant<Field, FragmentSpread, InlineFragment> node;
};

// `{ ... }` alone is a query without name, variables or directives.
struct OperationDefinition {
  SourceLocation loc;
  OperationType operation = OperationType::query;
  std::optional<Description> description;
  std::optional<Name> name;
  std::vector<VariableDefinition> variable_definitions;
  std::vector<Directive> directives;
  SelectionSet selection_set;
};
struct FragmentDefinition {
  SourceLocation loc;
  std::optional<Description> description;
  Name name;
  NamedType type_condition;
  std::vector<Directive> directives;
  SelectionSet selection_set;
};

// ---- Type system (section 3) --------------------------------------------------------
// Each type-system definition doubles as its extension (`extend ...`, which has no
// description); `is_extension` tells which it is. All directives here are const.
struct InputValueDefinition {
  SourceLocation loc;
  std::optional<Description> description;
  Name name;
  TypeRef type;
  std::optional<Value> default_value;
  std::vector<Directive> directives;
};
struct FieldDefinition {
  SourceLocation loc;
  std::optional<Description> description;
  Name name;
  std::vector<InputValueDefinition> arguments;
  TypeRef type;
  std::vector<Directive> directives;
};
struct EnumValueDefinition {
  SourceLocation loc;
  std::optional<Description> description;
  Name name;
  std::vector<Directive> directives;
};
struct OperationTypeDefinition {
  SourceLocation loc;
  OperationType operation = OperationType::query;
  NamedType type;
};

struct SchemaDefinition {
  SourceLocation loc;
  bool is_extension = false;
  std::optional<Description> description;
  std::vector<Directive> directives;
  std::vector<OperationTypeDefinition> operation_types;
};
struct ScalarTypeDefinition {
  SourceLocation loc;
  bool is_extension = false;
  std::optional<Description> description;
  Name name;
  std::vector<Directive> directives;
};
struct ObjectTypeDefinition {
  SourceLocation loc;
  bool is_extension = false;
  std::optional<Description> description;
  Name name;
  std::vector<NamedType> interfaces;
  std::vector<Directive> directives;
  std::vector<FieldDefinition> fields;
};
struct InterfaceTypeDefinition {
  SourceLocation loc;
  bool is_extension = false;
  std::optional<Description> description;
  Name name;
  std::vector<NamedType> interfaces;
  std::vector<Directive> directives;
  std::vector<FieldDefinition> fields;
};
struct UnionTypeDefinition {
  SourceLocation loc;
  bool is_extension = false;
  std::optional<Description> description;
  Name name;
  std::vector<Directive> directives;
  std::vector<NamedType> types;
};
struct EnumTypeDefinition {
  SourceLocation loc;
  bool is_extension = false;
  std::optional<Description> description;
  Name name;
  std::vector<Directive> directives;
  std::vector<EnumValueDefinition> values;
};
struct InputObjectTypeDefinition {
  SourceLocation loc;
  bool is_extension = false;
  std::optional<Description> description;
  Name name;
  std::vector<Directive> directives;
  std::vector<InputValueDefinition> fields;
};
struct DirectiveDefinition {
  SourceLocation loc;
  std::optional<Description> description;
  Name name;
  std::vector<InputValueDefinition> arguments;
  bool repeatable = false;
  std::vector<Name> locations;  // each one of the spec's DirectiveLocation names
};

using Definition =
    std::variant<OperationDefinition, FragmentDefinition, SchemaDefinition, ScalarTypeDefinition,
                 ObjectTypeDefinition, InterfaceTypeDefinition, UnionTypeDefinition,
                 EnumTypeDefinition, InputObjectTypeDefinition, DirectiveDefinition>;

// graphql-js's notion of a document: executable and type-system definitions may mix;
// whether a mix is acceptable is for validation (executable documents) or the schema
// builder (SDL) to decide.
struct Document {
  std::vector<Definition> definitions;
};

std::string_view to_string(OperationType operation);  // "query", "mutation", "subscription"
SourceLocation location_of(const Definition& definition);

}  // namespace herald::graphql
