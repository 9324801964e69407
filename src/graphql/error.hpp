#pragma once
// A GraphQL error as a response carries it (spec 7.1.2): message, locations, path.
// Validation and request errors have no path; field errors have one.

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "graphql/source_text.hpp"

namespace herald::graphql {

struct GraphQLError {
  std::string message;
  std::vector<SourceLocation> locations;
  nlohmann::ordered_json path;  // null, or an array of response keys and list indices

  // {"message", "locations"?, "path"?}, as graphql-js's toJSON gives it.
  nlohmann::ordered_json to_json() const;
};

nlohmann::ordered_json errors_to_json(const std::vector<GraphQLError>& errors);

}  // namespace herald::graphql
