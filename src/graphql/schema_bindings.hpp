#pragma once
// Internal to build_schema(): herald's binding directives (@view, @function,
// @subscribe; SPEC section 6) decoded into a field's Binding.

#include <functional>
#include <string>
#include <vector>

#include "graphql/schema.hpp"

namespace herald::graphql {

struct BindingRoots {
  std::string query;
  std::string mutation;
  std::string subscription;
};

// Decodes `directive` on `field` of type `type_name` when it is one of herald's;
// errors when it sits on the wrong root type or names no @table entity.
void decode_binding(const std::string& type_name, FieldDef& field, const Directive& directive,
                    const BindingRoots& roots,
                    const std::function<const TypeDef*(const std::string&)>& lookup,
                    std::vector<GraphQLError>& errors);

}  // namespace herald::graphql
