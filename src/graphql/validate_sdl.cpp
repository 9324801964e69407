// TypedWalk::walk_type_system: what graphql-js's rules still check inside type-system
// definitions that an executable document should not contain (KnownTypeNames and the
// directive rules).
#include "graphql/suggestions.hpp"
#include "graphql/validate_walk.hpp"

namespace herald::graphql {

void TypedWalk::check_type_name(const NamedType& named,
                                const std::set<std::string>& defined_types) {
  const std::string& name = named.name.value;
  if (schema_.type(name) != nullptr || defined_types.count(name) > 0) return;
  std::vector<std::string> names(defined_types.begin(), defined_types.end());
  for (const auto& t : schema_.types()) names.push_back(t.name);
  error("Unknown type \"" + name + "\"." + did_you_mean(suggestion_list(name, names)), {named.loc});
}

void TypedWalk::walk_type_system(const Definition& definition,
                                 const std::set<std::string>& defined_types) {
  DefinitionScope scope;
  auto type_ref = [&](const TypeRef& ref) {
    const TypeRef* r = &ref;
    while (r->kind != TypeRefKind::named) r = &*r->of_type;
    check_type_name(r->named, defined_types);
  };
  auto input_values = [&](const std::vector<InputValueDefinition>& values, const char* location) {
    for (const auto& v : values) {
      type_ref(v.type);
      walk_directives(v.directives, location, scope);
    }
  };
  auto fields = [&](const std::vector<FieldDefinition>& list) {
    for (const auto& f : list) {
      input_values(f.arguments, "ARGUMENT_DEFINITION");
      type_ref(f.type);
      walk_directives(f.directives, "FIELD_DEFINITION", scope);
    }
  };
  std::visit(
      [&](const auto& def) {
        using T = std::decay_t<decltype(def)>;
        if constexpr (std::is_same_v<T, SchemaDefinition>) {
          walk_directives(def.directives, "SCHEMA", scope);
          for (const auto& op : def.operation_types) check_type_name(op.type, defined_types);
        } else if constexpr (std::is_same_v<T, ScalarTypeDefinition>) {
          walk_directives(def.directives, "SCALAR", scope);
        } else if constexpr (std::is_same_v<T, ObjectTypeDefinition> ||
                             std::is_same_v<T, InterfaceTypeDefinition>) {
          for (const auto& i : def.interfaces) check_type_name(i, defined_types);
          walk_directives(def.directives,
                          std::is_same_v<T, ObjectTypeDefinition> ? "OBJECT" : "INTERFACE", scope);
          fields(def.fields);
        } else if constexpr (std::is_same_v<T, UnionTypeDefinition>) {
          walk_directives(def.directives, "UNION", scope);
          for (const auto& m : def.types) check_type_name(m, defined_types);
        } else if constexpr (std::is_same_v<T, EnumTypeDefinition>) {
          walk_directives(def.directives, "ENUM", scope);
          for (const auto& v : def.values) walk_directives(v.directives, "ENUM_VALUE", scope);
        } else if constexpr (std::is_same_v<T, InputObjectTypeDefinition>) {
          walk_directives(def.directives, "INPUT_OBJECT", scope);
          input_values(def.fields, "INPUT_FIELD_DEFINITION");
        } else if constexpr (std::is_same_v<T, DirectiveDefinition>) {
          input_values(def.arguments, "ARGUMENT_DEFINITION");
        }
      },
      definition);
}

}  // namespace herald::graphql
