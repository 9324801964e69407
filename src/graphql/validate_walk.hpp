#pragma once
// Internal to validate(): the typed walk over operations and fragments (the rules that
// need to know the type at each position), and what it records for the document-wide
// rules on variables and fragments.

#include <map>
#include <set>
#include <string>
#include <vector>

#include "graphql/validate.hpp"

namespace herald::graphql {

struct VariableUsage {
  const Variable* variable = nullptr;
  const TypeRef* type = nullptr;  // the location's type; null where it is unknown
  bool location_has_default = false;
  const TypeDef* input_object = nullptr;  // set when the variable is an input object's field
};

// What one operation or fragment definition uses.
struct DefinitionScope {
  std::vector<VariableUsage> usages;
};

class TypedWalk {
 public:
  TypedWalk(const Schema& schema, const Document& document, std::vector<GraphQLError>& errors);

  void walk_operation(const OperationDefinition& operation, DefinitionScope& scope);
  void walk_fragment(const FragmentDefinition& fragment, DefinitionScope& scope);

  // The last definition of each fragment name (as graphql-js's getFragment).
  const FragmentDefinition* fragment(const std::string& name) const;

  // A type-system definition in an executable document (already an error): graphql-js
  // still checks its type references and directives.
  void walk_type_system(const Definition& definition, const std::set<std::string>& defined_types);

 private:
  void error(std::string message, std::vector<SourceLocation> locations);
  void walk_selection_set(const TypeDef* parent, const SelectionSet& set, DefinitionScope& scope);
  void walk_field(const TypeDef* parent, const Field& field, DefinitionScope& scope);
  void walk_arguments(const std::vector<InputValueDef>* definitions,
                      const std::vector<Argument>& arguments, const std::string& owner,
                      SourceLocation owner_loc, bool directive, DefinitionScope& scope);
  void walk_value(const TypeRef* type, const Value& value, bool has_default, DefinitionScope& scope,
                  const TypeDef* input_object = nullptr);
  void walk_directives(const std::vector<Directive>& directives, const char* location,
                       DefinitionScope& scope);
  void check_type_name(const NamedType& named, const std::set<std::string>& defined_types);
  const TypeDef* condition_type(const NamedType& condition, bool inline_fragment,
                                const std::string& fragment_name);
  bool types_overlap(const TypeDef& a, const TypeDef& b) const;
  std::string unknown_field_message(const TypeDef& parent, const std::string& name) const;

  const Schema& schema_;
  std::vector<GraphQLError>& errors_;
  std::map<std::string, const FragmentDefinition*, std::less<>> fragments_;
};

}  // namespace herald::graphql
