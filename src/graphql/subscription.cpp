#include "graphql/subscription.hpp"

#include "graphql/executor.hpp"
#include "graphql/values.hpp"

namespace herald::graphql {

namespace {

std::string_view sql_operation(std::string_view operation) {
  if (operation == "created" || operation == "insert") return "INSERT";
  if (operation == "updated" || operation == "update") return "UPDATE";
  if (operation == "deleted" || operation == "delete") return "DELETE";
  return operation;
}

std::string qualified(std::string_view table) {
  if (table.find('.') != std::string_view::npos) return std::string(table);
  return "public." + std::string(table);
}

// Arguments arrive coerced (an ID is a string), rows keep their column types.
bool loosely_equal(const json& filter, const json& column) {
  if (filter == column) return true;
  if (filter.is_string() && (column.is_number() || column.is_boolean())) {
    return filter.get<std::string>() == column.dump();
  }
  return false;
}

}  // namespace

bool SubscriptionPlan::matches(std::string_view table, std::string_view operation,
                               const json& entity) const {
  if (qualified(table) != table_) return false;
  const std::string_view op = sql_operation(operation);
  if (std::find(operations_.begin(), operations_.end(), op) == operations_.end()) return false;
  for (const auto& [column, value] : filters_.items()) {
    if (!entity.is_object()) return false;
    auto it = entity.find(column);
    if (it == entity.end()) it = entity.find(to_camel_case(column));
    if (it == entity.end() || !loosely_equal(value, *it)) return false;
  }
  return true;
}

ExecutionResult SubscriptionPlan::project(const json& entity) const {
  ExecutionContext context;
  context.root_value = json::object();
  context.root_value[field_] = entity;
  return execute_selection(*schema_, *document_, *schema_->subscription_type(),
                           operation_->selection_set, context.root_value, variables_, context);
}

struct SubscriptionPreparer {
  static PreparedSubscription prepare(std::shared_ptr<const Schema> schema,
                                      std::shared_ptr<const Document> document,
                                      std::string_view operation_name, const json& variables) {
    PreparedSubscription out;
    auto request_error = [&](std::string message, std::vector<SourceLocation> locations) {
      out.errors.push_back(GraphQLError{std::move(message), std::move(locations), nullptr});
      return std::move(out);
    };
    auto choice = select_operation(*document, operation_name);
    if (choice.operation == nullptr) {
      out.errors = std::move(choice.errors);
      return out;
    }
    const OperationDefinition& operation = *choice.operation;
    const TypeDef* root = schema->subscription_type();
    if (operation.operation != OperationType::subscription || root == nullptr) {
      return request_error("Only subscription operations can be subscribed to.", {operation.loc});
    }
    auto coerced = coerce_variables(*schema, operation, variables);
    if (!coerced.errors.empty()) {
      out.errors = std::move(coerced.errors);
      return out;
    }
    ExecutionContext context;
    Executor executor(*schema, *document, coerced.values, context);
    Executor::FieldGroups groups;
    std::set<std::string> visited;
    executor.collect_fields(*root, operation.selection_set, groups, visited);
    if (groups.size() != 1) {
      return request_error("A subscription must select exactly one top level field.",
                           {operation.loc});
    }
    const Field& field = *groups.front().second.front();
    const FieldDef* def = root->field(field.name.value);
    if (def == nullptr || def->binding.kind != BindingKind::subscribe) {
      return request_error("Subscription field \"" + field.name.value +
                               "\" has no @subscribe(entity:, operation:) binding.",
                           {field.loc});
    }
    json args;
    if (auto error =
            coerce_arguments(*schema, def->arguments, field.arguments, coerced.values, args)) {
      return request_error(*error, {field.loc});
    }
    SubscriptionPlan plan;
    plan.schema_ = std::move(schema);
    plan.document_ = std::move(document);
    plan.operation_ = &operation;
    plan.variables_ = std::move(coerced.values);
    plan.field_ = def->name;
    plan.entity_ = def->binding.entity;
    plan.table_ = qualified(def->binding.table);
    plan.operations_ = def->binding.operations;
    for (const auto& [name, value] : args.items()) {
      if (!value.is_null()) plan.filters_[to_snake_case(name)] = value;
    }
    out.plan = std::move(plan);
    return out;
  }
};

PreparedSubscription prepare_subscription(std::shared_ptr<const Schema> schema,
                                          std::shared_ptr<const Document> document,
                                          std::string_view operation_name, const json& variables) {
  return SubscriptionPreparer::prepare(std::move(schema), std::move(document), operation_name,
                                       variables);
}

}  // namespace herald::graphql
