#include "graphql/error.hpp"

namespace herald::graphql {

nlohmann::ordered_json GraphQLError::to_json() const {
  nlohmann::ordered_json out = {{"message", message}};
  if (!locations.empty()) {
    nlohmann::ordered_json locs = nlohmann::ordered_json::array();
    for (const auto& loc : locations) locs.push_back({{"line", loc.line}, {"column", loc.column}});
    out["locations"] = std::move(locs);
  }
  if (path.is_array()) out["path"] = path;
  return out;
}

nlohmann::ordered_json errors_to_json(const std::vector<GraphQLError>& errors) {
  nlohmann::ordered_json out = nlohmann::ordered_json::array();
  for (const auto& e : errors) out.push_back(e.to_json());
  return out;
}

}  // namespace herald::graphql
