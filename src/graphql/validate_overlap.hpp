#pragma once
// Internal to validate(): "Overlapping Fields Can Be Merged" (spec 5.3.2), following
// graphql-js's algorithm (fields and fragments compared pairwise, fragment pairs
// remembered so that each is compared once) so errors match its words and locations.

#include <vector>

#include "graphql/validate.hpp"

namespace herald::graphql {

void check_overlapping_fields(const Schema& schema, const Document& document,
                              std::vector<GraphQLError>& errors);

}  // namespace herald::graphql
