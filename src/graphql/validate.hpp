#pragma once
// Validation of an executable document against a schema (spec section 5), with
// graphql-js 16's messages and locations. An empty result means the document may be
// executed.
//
//   auto errors = herald::graphql::validate(*schema, document);
//   if (!errors.empty()) respond({{"errors", errors_to_json(errors)}});

#include <vector>

#include "graphql/ast.hpp"
#include "graphql/error.hpp"
#include "graphql/schema.hpp"

namespace herald::graphql {

std::vector<GraphQLError> validate(const Schema& schema, const Document& document);

}  // namespace herald::graphql
