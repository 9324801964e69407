#pragma once
// Internal to build_schema(): the rules of a valid schema (spec 3) that need the whole
// schema built first (graphql-js's validateSchema).

#include <vector>

#include "graphql/schema.hpp"

namespace herald::graphql {

void check_schema_rules(const Schema& schema, std::vector<GraphQLError>& errors);

}  // namespace herald::graphql
