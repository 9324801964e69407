#pragma once
// An executable GraphQL schema, built once from SDL at start and shared read-only
// (std::shared_ptr<const Schema>) by every HTTP request and WebSocket subscription.
//
//   auto built = herald::graphql::build_schema(sdl_text);
//   if (!built.ok()) for (auto& e : built.errors) log(e.message, e.locations);
//   std::shared_ptr<const Schema> schema = built.schema;
//
// Types keep references to other types by name (TypeRef from the AST), so the schema
// is a plain value with no cycles. Herald's binding directives (@table, @view,
// @function, @subscribe; SPEC section 6) are declared by the builder and decoded into
// `Binding`s on the fields they annotate.

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "graphql/ast.hpp"
#include "graphql/error.hpp"

namespace herald::graphql {

enum class TypeKind { scalar, object, interface_type, union_type, enum_type, input_object };

struct InputValueDef {
  std::string name;
  std::optional<std::string> description;
  TypeRef type;
  std::optional<Value> default_value;  // const AST value, coerced when used
  std::optional<std::string> deprecation_reason;
  SourceLocation loc;
};

// What a root field is bound to in the database.
enum class BindingKind { none, view, function, subscribe };
struct Binding {
  BindingKind kind = BindingKind::none;
  std::string name;                     // view or function name (@view / @function)
  std::string entity;                   // @subscribe(entity:)
  std::string table;                    // the entity's @table name (@subscribe)
  std::vector<std::string> operations;  // @subscribe(operation:): INSERT, UPDATE, DELETE
};

struct FieldDef {
  std::string name;
  std::optional<std::string> description;
  std::vector<InputValueDef> arguments;
  TypeRef type;
  std::optional<std::string> deprecation_reason;
  Binding binding;
  SourceLocation loc;

  const InputValueDef* argument(std::string_view arg_name) const;
};

struct EnumValueDef {
  std::string name;
  std::optional<std::string> description;
  std::optional<std::string> deprecation_reason;
};

struct TypeDef {
  TypeKind kind = TypeKind::scalar;
  std::string name;
  std::optional<std::string> description;
  std::optional<std::string> specified_by_url;  // scalars
  std::vector<FieldDef> fields;                 // object, interface
  std::vector<std::string> interfaces;          // object, interface
  std::vector<std::string> members;             // union
  std::vector<EnumValueDef> enum_values;        // enum
  std::vector<InputValueDef> input_fields;      // input object
  std::optional<std::string> table;             // @table(name:) on an object type
  bool one_of = false;                          // @oneOf on an input object
  SourceLocation loc;

  const FieldDef* field(std::string_view field_name) const;
  const InputValueDef* input_field(std::string_view field_name) const;
  const EnumValueDef* enum_value(std::string_view value_name) const;
  bool is_composite() const {
    return kind == TypeKind::object || kind == TypeKind::interface_type ||
           kind == TypeKind::union_type;
  }
  bool is_abstract() const {
    return kind == TypeKind::interface_type || kind == TypeKind::union_type;
  }
  bool is_input() const {
    return kind == TypeKind::scalar || kind == TypeKind::enum_type ||
           kind == TypeKind::input_object;
  }
  bool is_leaf() const { return kind == TypeKind::scalar || kind == TypeKind::enum_type; }
};

struct DirectiveDef {
  std::string name;
  std::optional<std::string> description;
  std::vector<InputValueDef> arguments;
  bool repeatable = false;
  std::vector<std::string> locations;  // "FIELD", "OBJECT", ...
  bool builtin = false;                // specified by GraphQL or declared by herald

  const InputValueDef* argument(std::string_view arg_name) const;
  bool allows(std::string_view location) const;
};

class Schema {
 public:
  const TypeDef* type(std::string_view name) const;
  const DirectiveDef* directive(std::string_view name) const;
  const TypeDef* query_type() const { return root(query_); }
  const TypeDef* mutation_type() const { return root(mutation_); }
  const TypeDef* subscription_type() const { return root(subscription_); }
  const TypeDef* root_type(OperationType operation) const;
  std::optional<std::string> description;

  // Types in definition order (built-in scalars and introspection types included).
  const std::vector<TypeDef>& types() const { return types_; }
  const std::vector<DirectiveDef>& directives() const { return directives_; }

  // Object types an abstract type may resolve to (the type itself when it is an object).
  const std::vector<std::string>& possible_types(const TypeDef& type) const;
  bool is_possible_type(const TypeDef& abstract, std::string_view object_name) const;
  // Whether `maybe_sub` is `super` or one of its possible types / implementations.
  bool is_subtype(const TypeDef& super, const TypeDef& maybe_sub) const;

  // The types __schema { types } lists: those the schema references, in graphql-js's
  // order (each defined type followed by the built-in ones it first brings in).
  const std::vector<std::string>& introspection_types() const { return introspection_types_; }

  // Fields bound by @view / @function (for checking them against the database).
  std::vector<const FieldDef*> bound_fields() const;

 private:
  friend class SchemaBuilder;
  const TypeDef* root(const std::string& name) const { return name.empty() ? nullptr : type(name); }

  std::vector<TypeDef> types_;
  std::map<std::string, std::size_t, std::less<>> type_index_;
  std::vector<DirectiveDef> directives_;
  std::map<std::string, std::vector<std::string>, std::less<>> possible_;
  std::string query_;
  std::string mutation_;
  std::string subscription_;
  std::vector<std::string> introspection_types_;
};

struct SchemaBuild {
  std::shared_ptr<const Schema> schema;  // null when errors is not empty
  std::vector<GraphQLError> errors;
  bool ok() const { return schema != nullptr; }
};

// Builds a schema from SDL text (syntax errors included in `errors`).
SchemaBuild build_schema(std::string_view sdl);
SchemaBuild build_schema(const Document& document);

// ---- Type references -----------------------------------------------------------
const std::string& named_type(const TypeRef& type);
std::string print_type(const TypeRef& type);
TypeRef make_named_type(std::string name);
bool same_type(const TypeRef& a, const TypeRef& b);

// camelCase <-> snake_case, the mapping of GraphQL names to columns.
std::string to_snake_case(std::string_view camel);
std::string to_camel_case(std::string_view snake);

}  // namespace herald::graphql
