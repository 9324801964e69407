#include "graphql/validate_walk.hpp"

#include <algorithm>

#include "graphql/executor.hpp"
#include "graphql/suggestions.hpp"
#include "graphql/values.hpp"

namespace herald::graphql {

TypedWalk::TypedWalk(const Schema& schema, const Document& document,
                     std::vector<GraphQLError>& errors)
    : schema_(schema), errors_(errors) {
  for (const auto& d : document.definitions) {
    if (const auto* f = std::get_if<FragmentDefinition>(&d)) fragments_[f->name.value] = f;
  }
}

const FragmentDefinition* TypedWalk::fragment(const std::string& name) const {
  auto it = fragments_.find(name);
  return it == fragments_.end() ? nullptr : it->second;
}

void TypedWalk::error(std::string message, std::vector<SourceLocation> locations) {
  errors_.push_back(GraphQLError{std::move(message), std::move(locations), nullptr});
}

void TypedWalk::walk_operation(const OperationDefinition& operation, DefinitionScope& scope) {
  static const char* const kLocations[] = {"QUERY", "MUTATION", "SUBSCRIPTION"};
  for (const auto& def : operation.variable_definitions) {
    const TypeRef* named = &def.type;
    while (named->kind != TypeRefKind::named) named = &*named->of_type;
    const TypeDef* type = schema_.type(named->named.name.value);
    if (type == nullptr) {
      std::vector<std::string> names;
      for (const auto& t : schema_.types()) names.push_back(t.name);
      error("Unknown type \"" + named->named.name.value + "\"." +
                did_you_mean(suggestion_list(named->named.name.value, names)),
            {named->named.loc});
    } else if (!type->is_input()) {
      error("Variable \"$" + def.variable.name.value + "\" cannot be non-input type \"" +
                print_type(def.type) + "\".",
            {def.type.loc});
    } else if (def.default_value) {
      check_literal(schema_, def.type, *def.default_value, errors_);
    }
    if (def.default_value) walk_value(&def.type, *def.default_value, false, scope);
    walk_directives(def.directives, "VARIABLE_DEFINITION", scope);
  }
  walk_directives(operation.directives, kLocations[static_cast<int>(operation.operation)], scope);
  walk_selection_set(schema_.root_type(operation.operation), operation.selection_set, scope);
}

void TypedWalk::walk_fragment(const FragmentDefinition& fragment, DefinitionScope& scope) {
  const TypeDef* type = condition_type(fragment.type_condition, false, fragment.name.value);
  walk_directives(fragment.directives, "FRAGMENT_DEFINITION", scope);
  walk_selection_set(type, fragment.selection_set, scope);
}

const TypeDef* TypedWalk::condition_type(const NamedType& condition, bool inline_fragment,
                                         const std::string& fragment_name) {
  const TypeDef* type = schema_.type(condition.name.value);
  if (type == nullptr) {
    std::vector<std::string> names;
    for (const auto& t : schema_.types()) names.push_back(t.name);
    error("Unknown type \"" + condition.name.value + "\"." +
              did_you_mean(suggestion_list(condition.name.value, names)),
          {condition.loc});
    return nullptr;
  }
  if (!type->is_composite()) {
    error(inline_fragment
              ? "Fragment cannot condition on non composite type \"" + type->name + "\"."
              : "Fragment \"" + fragment_name + "\" cannot condition on non composite type \"" +
                    type->name + "\".",
          {condition.loc});
    return nullptr;
  }
  return type;
}

bool TypedWalk::types_overlap(const TypeDef& a, const TypeDef& b) const {
  if (a.name == b.name) return true;
  if (a.is_abstract()) {
    if (b.is_abstract()) {
      const auto& possible = schema_.possible_types(a);
      return std::any_of(possible.begin(), possible.end(),
                         [&](const std::string& t) { return schema_.is_possible_type(b, t); });
    }
    return schema_.is_possible_type(a, b.name);
  }
  return b.is_abstract() && schema_.is_possible_type(b, a.name);
}

void TypedWalk::walk_selection_set(const TypeDef* parent, const SelectionSet& set,
                                   DefinitionScope& scope) {
  for (const auto& selection : set.selections) {
    if (const auto* field = std::get_if<Field>(&selection.node)) {
      walk_field(parent, *field, scope);
    } else if (const auto* inline_fragment = std::get_if<InlineFragment>(&selection.node)) {
      const TypeDef* type = parent;
      if (inline_fragment->type_condition) {
        type = condition_type(*inline_fragment->type_condition, true, "");
        if (type != nullptr && parent != nullptr && !types_overlap(*parent, *type)) {
          error("Fragment cannot be spread here as objects of type \"" + parent->name +
                    "\" can never be of type \"" + type->name + "\".",
                {inline_fragment->loc});
        }
      }
      walk_directives(inline_fragment->directives, "INLINE_FRAGMENT", scope);
      walk_selection_set(type, inline_fragment->selection_set, scope);
    } else if (const auto* spread = std::get_if<FragmentSpread>(&selection.node)) {
      const FragmentDefinition* fragment_def = fragment(spread->name.value);
      if (fragment_def == nullptr) {
        error("Unknown fragment \"" + spread->name.value + "\".", {spread->name.loc});
      } else if (parent != nullptr) {
        const TypeDef* type = schema_.type(fragment_def->type_condition.name.value);
        if (type != nullptr && type->is_composite() && !types_overlap(*parent, *type)) {
          error("Fragment \"" + spread->name.value +
                    "\" cannot be spread here as objects of type \"" + parent->name +
                    "\" can never be of type \"" + type->name + "\".",
                {spread->loc});
        }
      }
      walk_directives(spread->directives, "FRAGMENT_SPREAD", scope);
    }
  }
}

std::string TypedWalk::unknown_field_message(const TypeDef& parent, const std::string& name) const {
  std::string message = "Cannot query field \"" + name + "\" on type \"" + parent.name + "\".";
  if (parent.is_abstract()) {
    std::vector<const TypeDef*> suggested;
    std::map<std::string, int> usage;
    for (const auto& possible_name : schema_.possible_types(parent)) {
      const TypeDef* possible = schema_.type(possible_name);
      if (possible == nullptr || possible->field(name) == nullptr) continue;
      if (usage[possible->name]++ == 0) suggested.push_back(possible);
      for (const auto& iface_name : possible->interfaces) {
        const TypeDef* iface = schema_.type(iface_name);
        if (iface == nullptr || iface->field(name) == nullptr) continue;
        if (usage[iface->name]++ == 0) suggested.push_back(iface);
      }
    }
    std::stable_sort(suggested.begin(), suggested.end(), [&](const TypeDef* a, const TypeDef* b) {
      if (usage[a->name] != usage[b->name]) return usage[a->name] > usage[b->name];
      if (a->kind == TypeKind::interface_type && schema_.is_subtype(*a, *b)) return true;
      if (b->kind == TypeKind::interface_type && schema_.is_subtype(*b, *a)) return false;
      return a->name < b->name;
    });
    std::vector<std::string> names;
    for (const TypeDef* t : suggested) names.push_back(t->name);
    if (!names.empty()) return message + did_you_mean(names, "to use an inline fragment on");
  }
  std::vector<std::string> field_names;
  for (const auto& f : parent.fields) field_names.push_back(f.name);
  return message + did_you_mean(suggestion_list(name, field_names));
}

void TypedWalk::walk_field(const TypeDef* parent, const Field& field, DefinitionScope& scope) {
  const FieldDef* def =
      parent != nullptr ? find_field(schema_, *parent, field.name.value) : nullptr;
  if (parent != nullptr && def == nullptr) {
    error(unknown_field_message(*parent, field.name.value), {field.loc});
  }
  walk_arguments(def != nullptr ? &def->arguments : nullptr, field.arguments,
                 parent != nullptr && def != nullptr ? parent->name + "." + def->name : "",
                 field.loc, false, scope);
  walk_directives(field.directives, "FIELD", scope);
  const TypeDef* type = def != nullptr ? schema_.type(named_type(def->type)) : nullptr;
  if (type != nullptr && type->is_leaf() && field.selection_set) {
    error("Field \"" + field.name.value + "\" must not have a selection since type \"" +
              print_type(def->type) + "\" has no subfields.",
          {field.selection_set->loc});
  } else if (type != nullptr && !type->is_leaf() && !field.selection_set) {
    error("Field \"" + field.name.value + "\" of type \"" + print_type(def->type) +
              "\" must have a selection of subfields. Did you mean \"" + field.name.value +
              " { ... }\"?",
          {field.loc});
  }
  if (field.selection_set) {
    walk_selection_set(type != nullptr && type->is_composite() ? type : nullptr,
                       *field.selection_set, scope);
  }
}

void TypedWalk::walk_arguments(const std::vector<InputValueDef>* definitions,
                               const std::vector<Argument>& arguments, const std::string& owner,
                               SourceLocation owner_loc, bool directive, DefinitionScope& scope) {
  std::vector<std::string> reported;
  for (const auto& argument : arguments) {
    const std::string& name = argument.name.value;
    std::vector<SourceLocation> same;
    for (const auto& other : arguments) {
      if (other.name.value == name) same.push_back(other.name.loc);
    }
    if (same.size() > 1 && std::find(reported.begin(), reported.end(), name) == reported.end()) {
      reported.push_back(name);
      error("There can be only one argument named \"" + name + "\".", same);
    }
    const InputValueDef* def = nullptr;
    if (definitions != nullptr) {
      for (const auto& d : *definitions) def = d.name == name ? &d : def;
      if (def == nullptr) {
        std::vector<std::string> names;
        for (const auto& d : *definitions) names.push_back(d.name);
        error("Unknown argument \"" + name + "\" on " + (directive ? "directive" : "field") +
                  " \"" + owner + "\"." + did_you_mean(suggestion_list(name, names)),
              {argument.loc});
      } else {
        check_literal(schema_, def->type, argument.value, errors_);
      }
    }
    walk_value(def != nullptr ? &def->type : nullptr, argument.value,
               def != nullptr && def->default_value.has_value(), scope);
  }
  if (definitions == nullptr) return;
  for (const auto& def : *definitions) {
    if (def.type.kind != TypeRefKind::non_null || def.default_value) continue;
    const bool given = std::any_of(arguments.begin(), arguments.end(),
                                   [&](const Argument& a) { return a.name.value == def.name; });
    if (given) continue;
    if (directive) {
      error("Directive \"" + owner + "\" argument \"" + def.name + "\" of type \"" +
                print_type(def.type) + "\" is required, but it was not provided.",
            {owner_loc});
    } else {
      const std::string field_name = owner.substr(owner.find('.') + 1);
      error("Field \"" + field_name + "\" argument \"" + def.name + "\" of type \"" +
                print_type(def.type) + "\" is required, but it was not provided.",
            {owner_loc});
    }
  }
}

void TypedWalk::walk_value(const TypeRef* type, const Value& value, bool has_default,
                           DefinitionScope& scope, const TypeDef* input_object) {
  if (const auto* variable = std::get_if<Variable>(&value.node)) {
    scope.usages.push_back(VariableUsage{variable, type, has_default, input_object});
    return;
  }
  const TypeRef* nullable = type;
  if (nullable != nullptr && nullable->kind == TypeRefKind::non_null)
    nullable = &*nullable->of_type;
  if (const auto* list = std::get_if<ListValue>(&value.node)) {
    const TypeRef* item = nullable;
    if (item != nullptr && item->kind == TypeRefKind::list) item = &*item->of_type;
    for (const auto& v : list->values) walk_value(item, v, false, scope);
  } else if (const auto* object = std::get_if<ObjectValue>(&value.node)) {
    const TypeDef* input = nullable != nullptr && nullable->kind == TypeRefKind::named
                               ? schema_.type(nullable->named.name.value)
                               : nullptr;
    std::map<std::string, SourceLocation> known;
    for (const auto& f : object->fields) {
      auto [first, inserted] = known.emplace(f.name.value, f.name.loc);
      if (!inserted) {
        error("There can be only one input field named \"" + f.name.value + "\".",
              {first->second, f.name.loc});
      }
      const InputValueDef* def = input != nullptr ? input->input_field(f.name.value) : nullptr;
      walk_value(def != nullptr ? &def->type : nullptr, f.value,
                 def != nullptr && def->default_value.has_value(), scope, input);
    }
  }
}

void TypedWalk::walk_directives(const std::vector<Directive>& directives, const char* location,
                                DefinitionScope& scope) {
  std::map<std::string, SourceLocation> seen;
  for (const auto& d : directives) {
    const DirectiveDef* def = schema_.directive(d.name.value);
    if (def == nullptr) {
      error("Unknown directive \"@" + d.name.value + "\".", {d.loc});
    } else {
      if (!def->allows(location)) {
        error("Directive \"@" + d.name.value + "\" may not be used on " + location + ".", {d.loc});
      }
      if (!def->repeatable) {
        auto [it, inserted] = seen.emplace(d.name.value, d.loc);
        if (!inserted) {
          error("The directive \"@" + d.name.value + "\" can only be used once at this location.",
                {it->second, d.loc});
        }
      }
    }
    walk_arguments(def != nullptr ? &def->arguments : nullptr, d.arguments, "@" + d.name.value,
                   d.loc, true, scope);
  }
}

}  // namespace herald::graphql
