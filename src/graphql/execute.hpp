#pragma once
// Executing a validated operation (spec section 6).
//
//   auto result = execute(*schema, document, "GetOrders", variables, {&pg_source});
//   respond(result.to_json());   // {"data": ..., "errors": [...]}
//
// Request errors (no such operation, bad variables) give no "data" key; field errors
// carry path and locations, and null propagates to the nearest nullable parent.
// Subscriptions are prepared with prepare_subscription (subscription.hpp), whose
// projection runs the same field execution as queries.

#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "graphql/ast.hpp"
#include "graphql/data_source.hpp"
#include "graphql/error.hpp"
#include "graphql/schema.hpp"

namespace herald::graphql {

struct ExecutionContext {
  DataSource* data_source = nullptr;  // null: bound fields fail with an error
  nlohmann::ordered_json root_value =
      nlohmann::ordered_json::object();  // parent of unbound root fields
};

struct ExecutionResult {
  bool has_data = false;  // false for request errors
  nlohmann::ordered_json data;
  std::vector<GraphQLError> errors;

  nlohmann::ordered_json to_json() const;
};

// Picks the operation (by name, or the only one) or says why it cannot.
struct OperationChoice {
  const OperationDefinition* operation = nullptr;
  std::vector<GraphQLError> errors;
};
OperationChoice select_operation(const Document& document, std::string_view operation_name);

// Executes a query or mutation; for a subscription operation, a request error.
ExecutionResult execute(const Schema& schema, const Document& document,
                        std::string_view operation_name, const nlohmann::ordered_json& variables,
                        const ExecutionContext& context);

// Executes `selection_set` on `object_type` with `value` as the parent object: the one
// path by which query results and subscription events are projected.
ExecutionResult execute_selection(const Schema& schema, const Document& document,
                                  const TypeDef& object_type, const SelectionSet& selection_set,
                                  const nlohmann::ordered_json& value,
                                  const nlohmann::ordered_json& variables,
                                  const ExecutionContext& context);

}  // namespace herald::graphql
