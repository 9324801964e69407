#pragma once
// Internal to build_schema(): the rules of a valid schema (spec 3) that need the whole
// schema built first (graphql-js's validateSchema).

#include <vector>

#include "graphql/schema.hpp"

namespace herald::graphql {

void check_schema_rules(const Schema& schema, std::vector<GraphQLError>& errors);

// The types a schema references, in the order graphql-js's GraphQLSchema collects them:
// each defined type, then whatever built-in type it first brings in; directive argument
// types; the introspection types.
std::vector<std::string> referenced_types(const Schema& schema);

}  // namespace herald::graphql
