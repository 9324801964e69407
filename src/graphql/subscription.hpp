#pragma once
// Subscriptions (spec 6.2.3) as the WebSocket layer needs them: a validated
// subscription operation becomes a SubscriptionPlan that says which events it wants
// (the @subscribe field's entity table and operations, and equality filters from its
// arguments) and projects each matching event's entity onto the selection with the
// same field execution as queries.
//
//   auto prepared = prepare_subscription(schema, document, op_name, variables);
//   if (!prepared.plan) send_error(prepared.errors);
//   ... for each event: if (plan.matches(event["table"], event["operation"], event["entity"]))
//         send_next(plan.project(event["entity"]).to_json());

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "graphql/execute.hpp"

namespace herald::graphql {

class SubscriptionPlan {
 public:
  const std::string& field() const { return field_; }    // e.g. "orderUpdated"
  const std::string& entity() const { return entity_; }  // e.g. "Order"
  // "schema.table", e.g. "public.tb_order".
  const std::string& table() const { return table_; }
  const std::vector<std::string>& operations() const { return operations_; }  // INSERT...
  // Column (snake_case) -> value that the row must equal.
  const nlohmann::ordered_json& filters() const { return filters_; }

  // `table` as "schema.table" or "table"; `operation` as INSERT/UPDATE/DELETE or as the
  // event's created/updated/deleted; `entity` the row (SPEC section 3).
  bool matches(std::string_view table, std::string_view operation,
               const nlohmann::ordered_json& entity) const;

  // The `next` payload for an event: {"data": {"<key>": projection}, "errors"?}.
  ExecutionResult project(const nlohmann::ordered_json& entity) const;

 private:
  friend struct SubscriptionPreparer;
  std::shared_ptr<const Schema> schema_;
  std::shared_ptr<const Document> document_;
  const OperationDefinition* operation_ = nullptr;
  nlohmann::ordered_json variables_;
  std::string field_;
  std::string entity_;
  std::string table_;
  std::vector<std::string> operations_;
  nlohmann::ordered_json filters_ = nlohmann::ordered_json::object();
};

struct PreparedSubscription {
  std::optional<SubscriptionPlan> plan;
  std::vector<GraphQLError> errors;  // request errors when there is no plan
};

// For a document that passed validate().
PreparedSubscription prepare_subscription(std::shared_ptr<const Schema> schema,
                                          std::shared_ptr<const Document> document,
                                          std::string_view operation_name,
                                          const nlohmann::ordered_json& variables);

}  // namespace herald::graphql
