#pragma once
// The SDL every schema starts from: GraphQL's built-in scalars and directives, the
// introspection types (section 4.5), and herald's binding directives (SPEC section 6),
// so users need not declare them.

#include <string_view>

namespace herald::graphql {

extern const std::string_view kSchemaPrelude;

}  // namespace herald::graphql
