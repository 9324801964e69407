#include "graphql/ast.hpp"

namespace herald::graphql {

std::string_view to_string(OperationType operation) {
  switch (operation) {
    case OperationType::query:
      return "query";
    case OperationType::mutation:
      return "mutation";
    case OperationType::subscription:
      return "subscription";
  }
  return "query";
}

SourceLocation location_of(const Definition& definition) {
  return std::visit([](const auto& node) { return node.loc; }, definition);
}

}  // namespace herald::graphql
