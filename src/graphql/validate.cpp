// validate(): the document-wide rules (definitions, operation and fragment names,
// fragment use and cycles, variables), around the typed walk of validate_walk.cpp.
#include "graphql/validate.hpp"

#include <algorithm>
#include <set>

#include "graphql/executor.hpp"
#include "graphql/validate_overlap.hpp"
#include "graphql/validate_walk.hpp"

namespace herald::graphql {

namespace {

// graphql-js's getFragmentSpreads: direct spreads first, nested sets last-in first-out.
std::vector<const FragmentSpread*> fragment_spreads(const SelectionSet& root) {
  std::vector<const FragmentSpread*> spreads;
  std::vector<const SelectionSet*> to_visit{&root};
  while (!to_visit.empty()) {
    const SelectionSet* set = to_visit.back();
    to_visit.pop_back();
    for (const auto& selection : set->selections) {
      if (const auto* spread = std::get_if<FragmentSpread>(&selection.node)) {
        spreads.push_back(spread);
      } else if (const auto* field = std::get_if<Field>(&selection.node)) {
        if (field->selection_set) to_visit.push_back(&*field->selection_set);
      } else if (const auto* inline_fragment = std::get_if<InlineFragment>(&selection.node)) {
        to_visit.push_back(&inline_fragment->selection_set);
      }
    }
  }
  return spreads;
}

// Is a variable of type `var` allowed where `location` is expected? (isTypeSubTypeOf)
bool is_subtype_ref(const Schema& schema, const TypeRef& var, const TypeRef& location) {
  if (location.kind == TypeRefKind::non_null) {
    return var.kind == TypeRefKind::non_null &&
           is_subtype_ref(schema, *var.of_type, *location.of_type);
  }
  if (var.kind == TypeRefKind::non_null) return is_subtype_ref(schema, *var.of_type, location);
  if (location.kind == TypeRefKind::list) {
    return var.kind == TypeRefKind::list && is_subtype_ref(schema, *var.of_type, *location.of_type);
  }
  if (var.kind == TypeRefKind::list) return false;
  if (var.named.name.value == location.named.name.value) return true;
  const TypeDef* super = schema.type(location.named.name.value);
  return super != nullptr && super->is_abstract() &&
         schema.is_possible_type(*super, var.named.name.value);
}

class DocumentRules {
 public:
  DocumentRules(const Schema& schema, const Document& document)
      : schema_(schema), document_(document), walk_(schema, document, errors_) {}

  std::vector<GraphQLError> run() {
    definitions();
    std::size_t op_index = 0;
    std::vector<DefinitionScope> op_scopes;
    for (const auto& d : document_.definitions) {
      if (const auto* op = std::get_if<OperationDefinition>(&d)) {
        op_scopes.emplace_back();
        walk_.walk_operation(*op, op_scopes.back());
        subscription_fields(*op);
        ++op_index;
      } else if (const auto* fragment = std::get_if<FragmentDefinition>(&d)) {
        DefinitionScope scope;
        walk_.walk_fragment(*fragment, scope);
        if (walk_.fragment(fragment->name.value) == fragment) {
          fragment_scopes_[fragment->name.value] = std::move(scope);
        }
      }
    }
    std::size_t i = 0;
    std::set<std::string> used_fragments;
    for (const auto& d : document_.definitions) {
      if (const auto* op = std::get_if<OperationDefinition>(&d)) {
        auto reached = reachable_fragments(op->selection_set);
        used_fragments.insert(reached.begin(), reached.end());
        variables(*op, op_scopes[i++], reached);
      }
    }
    for (const auto& d : document_.definitions) {
      if (const auto* f = std::get_if<FragmentDefinition>(&d)) {
        if (used_fragments.count(f->name.value) == 0) {
          error("Fragment \"" + f->name.value + "\" is never used.", {f->loc});
        }
      }
    }
    fragment_cycles();
    check_overlapping_fields(schema_, document_, errors_);
    return std::move(errors_);
  }

 private:
  void error(std::string message, std::vector<SourceLocation> locations) {
    errors_.push_back(GraphQLError{std::move(message), std::move(locations), nullptr});
  }

  void definitions() {
    std::map<std::string, SourceLocation> operation_names;
    std::map<std::string, SourceLocation> fragment_names;
    std::size_t operations = 0;
    std::set<std::string> defined_types;
    for (const auto& d : document_.definitions) {
      if (std::holds_alternative<OperationDefinition>(d)) ++operations;
      std::visit(
          [&](const auto& def) {
            using T = std::decay_t<decltype(def)>;
            if constexpr (!std::is_same_v<T, OperationDefinition> &&
                          !std::is_same_v<T, FragmentDefinition> &&
                          !std::is_same_v<T, SchemaDefinition> &&
                          !std::is_same_v<T, DirectiveDefinition>) {
              if (!def.is_extension) defined_types.insert(def.name.value);
            }
          },
          d);
    }
    for (const auto& d : document_.definitions) {
      if (const auto* op = std::get_if<OperationDefinition>(&d)) {
        if (!op->name && operations > 1) {
          error("This anonymous operation must be the only defined operation.", {op->loc});
        }
        if (op->name) {
          auto [it, inserted] = operation_names.emplace(op->name->value, op->name->loc);
          if (!inserted) {
            error("There can be only one operation named \"" + op->name->value + "\".",
                  {it->second, op->name->loc});
          }
        }
      } else if (const auto* f = std::get_if<FragmentDefinition>(&d)) {
        auto [it, inserted] = fragment_names.emplace(f->name.value, f->name.loc);
        if (!inserted) {
          error("There can be only one fragment named \"" + f->name.value + "\".",
                {it->second, f->name.loc});
        }
      } else if (const auto* s = std::get_if<SchemaDefinition>(&d)) {
        error("The schema definition is not executable.", {s->loc});
        walk_.walk_type_system(d, defined_types);
      } else {
        walk_.walk_type_system(d, defined_types);
        std::visit(
            [&](const auto& def) {
              if constexpr (requires { def.name.value; }) {
                error("The \"" + def.name.value + "\" definition is not executable.", {def.loc});
              }
            },
            d);
      }
    }
  }

  void subscription_fields(const OperationDefinition& op) {
    const TypeDef* root = schema_.subscription_type();
    if (op.operation != OperationType::subscription || root == nullptr) return;
    ExecutionContext context;
    Executor executor(schema_, document_, nlohmann::ordered_json::object(), context);
    Executor::FieldGroups groups;
    std::set<std::string> visited;
    executor.collect_fields(*root, op.selection_set, groups, visited);
    const std::string who =
        op.name ? "Subscription \"" + op.name->value + "\"" : std::string("Anonymous Subscription");
    if (groups.size() > 1) {
      std::vector<SourceLocation> extra;
      for (std::size_t i = 1; i < groups.size(); ++i) {
        for (const Field* f : groups[i].second) extra.push_back(f->loc);
      }
      error(who + " must select only one top level field.", extra);
    }
    for (const auto& [key, fields] : groups) {
      if (fields.front()->name.value.rfind("__", 0) != 0) continue;
      std::vector<SourceLocation> locs;
      for (const Field* f : fields) locs.push_back(f->loc);
      error(who + " must not select an introspection top level field.", locs);
    }
  }

  std::vector<std::string> reachable_fragments(const SelectionSet& root) {
    std::vector<std::string> reached;
    std::vector<const SelectionSet*> to_visit{&root};
    while (!to_visit.empty()) {
      const SelectionSet* set = to_visit.back();
      to_visit.pop_back();
      for (const FragmentSpread* spread : fragment_spreads(*set)) {
        const std::string& name = spread->name.value;
        if (std::find(reached.begin(), reached.end(), name) != reached.end()) continue;
        reached.push_back(name);
        if (const FragmentDefinition* f = walk_.fragment(name))
          to_visit.push_back(&f->selection_set);
      }
    }
    return reached;
  }

  void variables(const OperationDefinition& op, const DefinitionScope& scope,
                 const std::vector<std::string>& fragments) {
    std::vector<VariableUsage> usages = scope.usages;
    for (const auto& name : fragments) {
      auto it = fragment_scopes_.find(name);
      if (it != fragment_scopes_.end()) {
        usages.insert(usages.end(), it->second.usages.begin(), it->second.usages.end());
      }
    }
    std::map<std::string, std::vector<const VariableDefinition*>> defined;
    for (const auto& def : op.variable_definitions)
      defined[def.variable.name.value].push_back(&def);
    std::set<std::string> reported;
    for (const auto& def : op.variable_definitions) {
      const auto& same = defined[def.variable.name.value];
      if (same.size() > 1 && reported.insert(def.variable.name.value).second) {
        std::vector<SourceLocation> locs;
        for (const auto* d : same) locs.push_back(d->variable.name.loc);
        error("There can be only one variable named \"$" + def.variable.name.value + "\".", locs);
      }
    }
    const std::string in_op = op.name ? " by operation \"" + op.name->value + "\"" : "";
    for (const auto& usage : usages) {
      const std::string& name = usage.variable->name.value;
      auto it = defined.find(name);
      if (it == defined.end()) {
        error("Variable \"$" + name + "\" is not defined" + in_op + ".",
              {usage.variable->loc, op.loc});
        continue;
      }
      const VariableDefinition& def = *it->second.back();  // the last one, as graphql-js
      if (usage.type == nullptr || schema_.type(named_type(def.type)) == nullptr) continue;
      const TypeRef* location = usage.type;
      bool allowed = false;
      if (location->kind == TypeRefKind::non_null && def.type.kind != TypeRefKind::non_null) {
        const bool var_default = def.default_value.has_value() &&
                                 !std::holds_alternative<NullValue>(def.default_value->node);
        allowed = (var_default || usage.location_has_default) &&
                  is_subtype_ref(schema_, def.type, *location->of_type);
      } else {
        allowed = is_subtype_ref(schema_, def.type, *location);
      }
      if (!allowed) {
        error("Variable \"$" + name + "\" of type \"" + print_type(def.type) +
                  "\" used in position expecting type \"" + print_type(*location) + "\".",
              {def.loc, usage.variable->loc});
      }
      if (usage.input_object != nullptr && usage.input_object->one_of &&
          def.type.kind != TypeRefKind::non_null) {
        error("Variable \"$" + name + "\" is of type \"" + print_type(def.type) +
                  "\" but must be non-nullable to be used for OneOf Input Object \"" +
                  usage.input_object->name + "\".",
              {def.loc, usage.variable->loc});
      }
    }
    for (const auto& def : op.variable_definitions) {
      const bool used = std::any_of(usages.begin(), usages.end(), [&](const VariableUsage& u) {
        return u.variable->name.value == def.variable.name.value;
      });
      if (!used) {
        error("Variable \"$" + def.variable.name.value + "\" is never used" +
                  (op.name ? " in operation \"" + op.name->value + "\"" : std::string()) + ".",
              {def.loc});
      }
    }
  }

  void fragment_cycles() {
    std::set<std::string> visited;
    std::vector<const FragmentSpread*> path;
    std::map<std::string, std::size_t> index_by_name;
    for (const auto& d : document_.definitions) {
      if (const auto* f = std::get_if<FragmentDefinition>(&d))
        detect_cycle(*f, visited, path, index_by_name);
    }
  }

  void detect_cycle(const FragmentDefinition& fragment, std::set<std::string>& visited,
                    std::vector<const FragmentSpread*>& path,
                    std::map<std::string, std::size_t>& index_by_name) {
    const std::string& name = fragment.name.value;
    if (!visited.insert(name).second) return;
    auto spreads = fragment_spreads(fragment.selection_set);
    if (spreads.empty()) return;
    index_by_name[name] = path.size();
    for (const FragmentSpread* spread : spreads) {
      auto cycle = index_by_name.find(spread->name.value);
      path.push_back(spread);
      if (cycle == index_by_name.end()) {
        if (const FragmentDefinition* next = walk_.fragment(spread->name.value)) {
          detect_cycle(*next, visited, path, index_by_name);
        }
      } else {
        std::string via;
        std::vector<SourceLocation> locs;
        for (std::size_t i = cycle->second; i < path.size(); ++i) {
          locs.push_back(path[i]->loc);
          if (i + 1 < path.size())
            via += (via.empty() ? "\"" : ", \"") + path[i]->name.value + "\"";
        }
        error("Cannot spread fragment \"" + spread->name.value + "\" within itself" +
                  (via.empty() ? "." : " via " + via + "."),
              locs);
      }
      path.pop_back();
    }
    index_by_name.erase(name);
  }

  const Schema& schema_;
  const Document& document_;
  std::vector<GraphQLError> errors_;
  TypedWalk walk_;
  std::map<std::string, DefinitionScope> fragment_scopes_;
};

}  // namespace

std::vector<GraphQLError> validate(const Schema& schema, const Document& document) {
  return DocumentRules(schema, document).run();
}

}  // namespace herald::graphql
