#include "graphql/execute.hpp"

#include "graphql/executor.hpp"
#include "graphql/values.hpp"

namespace herald::graphql {

using json = nlohmann::ordered_json;

json ExecutionResult::to_json() const {
  json out = json::object();
  if (!errors.empty()) out["errors"] = errors_to_json(errors);
  if (has_data) out["data"] = data;
  return out;
}

OperationChoice select_operation(const Document& document, std::string_view operation_name) {
  OperationChoice choice;
  std::size_t count = 0;
  for (const auto& d : document.definitions) {
    const auto* op = std::get_if<OperationDefinition>(&d);
    if (op == nullptr) continue;
    ++count;
    if (operation_name.empty()) {
      choice.operation = op;
    } else if (op->name && op->name->value == operation_name) {
      choice.operation = op;
    }
  }
  if (operation_name.empty() && count > 1) {
    choice.operation = nullptr;
    choice.errors.push_back(
        {"Must provide operation name if query contains multiple operations.", {}, nullptr});
  } else if (choice.operation == nullptr && !operation_name.empty()) {
    choice.errors.push_back(
        {"Unknown operation named \"" + std::string(operation_name) + "\".", {}, nullptr});
  } else if (choice.operation == nullptr) {
    choice.errors.push_back({"Must provide an operation.", {}, nullptr});
  }
  return choice;
}

ExecutionResult execute(const Schema& schema, const Document& document,
                        std::string_view operation_name, const json& variables,
                        const ExecutionContext& context) {
  ExecutionResult result;
  auto choice = select_operation(document, operation_name);
  if (choice.operation == nullptr) {
    result.errors = std::move(choice.errors);
    return result;
  }
  const OperationDefinition& operation = *choice.operation;
  if (operation.operation == OperationType::subscription) {
    result.errors.push_back(
        {"Subscriptions are served over WebSocket (graphql-transport-ws), not by execute.",
         {operation.loc},
         nullptr});
    return result;
  }
  const TypeDef* root = schema.root_type(operation.operation);
  if (root == nullptr) {
    result.errors.push_back({"Schema is not configured to execute " +
                                 std::string(to_string(operation.operation)) + " operation.",
                             {operation.loc},
                             nullptr});
    return result;
  }
  auto coerced = coerce_variables(schema, operation, variables);
  if (!coerced.errors.empty()) {
    result.errors = std::move(coerced.errors);
    return result;
  }
  return execute_selection(schema, document, *root, operation.selection_set, context.root_value,
                           coerced.values, context);
}

ExecutionResult execute_selection(const Schema& schema, const Document& document,
                                  const TypeDef& object_type, const SelectionSet& selection_set,
                                  const json& value, const json& variables,
                                  const ExecutionContext& context) {
  ExecutionResult result;
  Executor executor(schema, document, variables, context);
  Executor::FieldGroups groups;
  std::set<std::string> visited;
  executor.collect_fields(object_type, selection_set, groups, visited);
  auto data = executor.execute_fields(object_type, value, groups, json::array(), true);
  result.has_data = true;
  result.data = data ? std::move(*data) : json(nullptr);
  result.errors = std::move(executor.errors());
  return result;
}

}  // namespace herald::graphql
