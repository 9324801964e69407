#pragma once
// Internal: the field execution machinery shared by execute() and subscriptions.

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "graphql/execute.hpp"

namespace herald::graphql {

class Executor {
 public:
  Executor(const Schema& schema, const Document& document, nlohmann::ordered_json variables,
           const ExecutionContext& context);

  // Response key -> the fields (same key) that are executed together.
  using FieldGroups = std::vector<std::pair<std::string, std::vector<const Field*>>>;
  void collect_fields(const TypeDef& object_type, const SelectionSet& selection_set,
                      FieldGroups& groups, std::set<std::string>& visited) const;

  // nullopt: an error nulled a non-null field, so the whole object is null.
  std::optional<nlohmann::ordered_json> execute_fields(const TypeDef& object_type,
                                                       const nlohmann::ordered_json& value,
                                                       const FieldGroups& groups,
                                                       const nlohmann::ordered_json& path,
                                                       bool serially);

  std::vector<GraphQLError>& errors() { return errors_; }

 private:
  std::optional<nlohmann::ordered_json> execute_field(const TypeDef& parent,
                                                      const nlohmann::ordered_json& value,
                                                      const std::vector<const Field*>& fields,
                                                      const nlohmann::ordered_json& path);
  std::optional<nlohmann::ordered_json> complete_value(const TypeRef& type,
                                                       const std::vector<const Field*>& fields,
                                                       const nlohmann::ordered_json& result,
                                                       const nlohmann::ordered_json& path,
                                                       const std::string& parent_field);
  Result<nlohmann::ordered_json> resolve(const TypeDef& parent, const FieldDef& field,
                                         const nlohmann::ordered_json& value,
                                         const nlohmann::ordered_json& args);
  bool should_include(const std::vector<Directive>& directives) const;
  void field_error(std::string message, const std::vector<const Field*>& fields,
                   const nlohmann::ordered_json& path);

  const Schema& schema_;
  std::map<std::string, const FragmentDefinition*, std::less<>> fragments_;
  nlohmann::ordered_json variables_;
  const ExecutionContext& context_;
  std::vector<GraphQLError> errors_;
};

// Meta-field definitions (__typename, __schema, __type), which no type declares.
const FieldDef* find_field(const Schema& schema, const TypeDef& parent, std::string_view name);

}  // namespace herald::graphql
