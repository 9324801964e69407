#include "graphql/validate_overlap.hpp"

#include <algorithm>
#include <cstdint>
#include <map>
#include <set>
#include <tuple>

#include "graphql/printer.hpp"

namespace herald::graphql {

namespace {

struct FieldEntry {
  const TypeDef* parent = nullptr;
  const Field* node = nullptr;
  const FieldDef* def = nullptr;
};
using FieldMap = std::vector<std::pair<std::string, std::vector<FieldEntry>>>;

struct FieldsAndFragments {
  FieldMap fields;
  std::vector<std::string> fragments;
};

// A reason is either a sentence or a list of (response name, reason) for subfields.
struct Reason {
  std::string text;
  std::vector<std::pair<std::string, Reason>> subfields;
};
struct Conflict {
  std::string response_name;
  Reason reason;
  std::vector<SourceLocation> fields1;
  std::vector<SourceLocation> fields2;
};

std::string reason_message(const Reason& reason) {
  if (reason.subfields.empty()) return reason.text;
  std::string out;
  for (const auto& [name, sub] : reason.subfields) {
    if (!out.empty()) out += " and ";
    out += "subfields \"" + name + "\" conflict because " + reason_message(sub);
  }
  return out;
}

Value sorted_value(const Value& value) {
  Value out = value;
  if (auto* object = std::get_if<ObjectValue>(&out.node)) {
    std::stable_sort(
        object->fields.begin(), object->fields.end(),
        [](const ObjectField& a, const ObjectField& b) { return a.name.value < b.name.value; });
    for (auto& f : object->fields) f.value = sorted_value(f.value);
  } else if (auto* list = std::get_if<ListValue>(&out.node)) {
    for (auto& v : list->values) v = sorted_value(v);
  }
  return out;
}

bool same_arguments(const Field& a, const Field& b) {
  if (a.arguments.size() != b.arguments.size()) return false;
  return std::all_of(a.arguments.begin(), a.arguments.end(), [&](const Argument& arg1) {
    auto it = std::find_if(b.arguments.begin(), b.arguments.end(), [&](const Argument& arg2) {
      return arg2.name.value == arg1.name.value;
    });
    return it != b.arguments.end() &&
           print(sorted_value(arg1.value)) == print(sorted_value(it->value));
  });
}

class OverlapChecker {
 public:
  bool aborted() const { return aborted_; }

  OverlapChecker(const Schema& schema, const Document& document) : schema_(schema) {
    for (const auto& d : document.definitions) {
      if (const auto* f = std::get_if<FragmentDefinition>(&d)) fragments_[f->name.value] = f;
    }
  }

  std::vector<Conflict> within(const TypeDef* parent, const SelectionSet& set) {
    std::vector<Conflict> conflicts;
    const FieldsAndFragments& own = fields_and_fragments(parent, set);
    for (const auto& [name, entries] : own.fields) {
      for (std::size_t i = 0; i < entries.size() && !aborted_; ++i) {
        for (std::size_t j = i + 1; j < entries.size() && !aborted_; ++j) {
          if (auto c = find_conflict(false, name, entries[i], entries[j]))
            conflicts.push_back(std::move(*c));
        }
      }
    }
    for (std::size_t i = 0; i < own.fragments.size(); ++i) {
      between_fields_and_fragment(conflicts, false, own.fields, own.fragments[i]);
      for (std::size_t j = i + 1; j < own.fragments.size(); ++j) {
        between_fragments(conflicts, false, own.fragments[i], own.fragments[j]);
      }
    }
    return conflicts;
  }

 private:
  const FieldsAndFragments& fields_and_fragments(const TypeDef* parent, const SelectionSet& set) {
    auto it = cache_.find(&set);
    if (it != cache_.end()) return it->second;
    FieldsAndFragments out;
    collect(parent, set, out);
    return cache_.emplace(&set, std::move(out)).first->second;
  }

  void collect(const TypeDef* parent, const SelectionSet& set, FieldsAndFragments& out) {
    for (const auto& selection : set.selections) {
      if (const auto* field = std::get_if<Field>(&selection.node)) {
        const FieldDef* def = nullptr;
        if (parent != nullptr &&
            (parent->kind == TypeKind::object || parent->kind == TypeKind::interface_type)) {
          def = parent->field(field->name.value);
        }
        const std::string& key = field->response_key();
        auto slot = std::find_if(out.fields.begin(), out.fields.end(),
                                 [&](auto& p) { return p.first == key; });
        if (slot == out.fields.end()) {
          out.fields.push_back({key, {}});
          slot = out.fields.end() - 1;
        }
        slot->second.push_back(FieldEntry{parent, field, def});
      } else if (const auto* spread = std::get_if<FragmentSpread>(&selection.node)) {
        if (std::find(out.fragments.begin(), out.fragments.end(), spread->name.value) ==
            out.fragments.end()) {
          out.fragments.push_back(spread->name.value);
        }
      } else if (const auto* inline_fragment = std::get_if<InlineFragment>(&selection.node)) {
        const TypeDef* type = inline_fragment->type_condition
                                  ? schema_.type(inline_fragment->type_condition->name.value)
                                  : parent;
        collect(type, inline_fragment->selection_set, out);
      }
    }
  }

  const FieldsAndFragments* fragment_fields(const std::string& name) {
    auto it = fragments_.find(name);
    if (it == fragments_.end()) return nullptr;
    const TypeDef* type = schema_.type(it->second->type_condition.name.value);
    return &fields_and_fragments(type, it->second->selection_set);
  }

  bool pair_compared(const std::string& a, const std::string& b, bool exclusive) {
    auto key = a < b ? std::pair{a, b} : std::pair{b, a};
    auto it = compared_.find(key);
    if (it == compared_.end()) return false;
    return exclusive ? true : it->second == exclusive;
  }
  void remember_pair(const std::string& a, const std::string& b, bool exclusive) {
    compared_[a < b ? std::pair{a, b} : std::pair{b, a}] = exclusive;
  }

  void between_fields_and_fragment(std::vector<Conflict>& conflicts, bool exclusive,
                                   const FieldMap& fields, const std::string& fragment_name) {
    const FieldsAndFragments* fragment = fragment_fields(fragment_name);
    if (fragment == nullptr || &fragment->fields == &fields) return;
    between(conflicts, exclusive, fields, fragment->fields);
    for (const auto& referenced : fragment->fragments) {
      if (pair_compared(referenced, fragment_name, exclusive)) continue;
      remember_pair(referenced, fragment_name, exclusive);
      between_fields_and_fragment(conflicts, exclusive, fields, referenced);
    }
  }

  void between_fragments(std::vector<Conflict>& conflicts, bool exclusive, const std::string& name1,
                         const std::string& name2) {
    if (name1 == name2 || pair_compared(name1, name2, exclusive)) return;
    remember_pair(name1, name2, exclusive);
    const FieldsAndFragments* f1 = fragment_fields(name1);
    const FieldsAndFragments* f2 = fragment_fields(name2);
    if (f1 == nullptr || f2 == nullptr) return;
    between(conflicts, exclusive, f1->fields, f2->fields);
    for (const auto& referenced : f2->fragments)
      between_fragments(conflicts, exclusive, name1, referenced);
    for (const auto& referenced : f1->fragments)
      between_fragments(conflicts, exclusive, referenced, name2);
  }

  void between(std::vector<Conflict>& conflicts, bool exclusive, const FieldMap& map1,
               const FieldMap& map2) {
    for (const auto& [name, entries1] : map1) {
      auto it = std::find_if(map2.begin(), map2.end(), [&](auto& p) { return p.first == name; });
      if (it == map2.end()) continue;
      for (std::size_t i = 0; i < entries1.size() && !aborted_; ++i) {
        for (std::size_t j = 0; j < it->second.size() && !aborted_; ++j) {
          if (auto c = find_conflict(exclusive, name, entries1[i], it->second[j])) {
            conflicts.push_back(std::move(*c));
          }
        }
      }
    }
  }

  bool types_conflict(const TypeRef& a, const TypeRef& b) const {
    if (a.kind == TypeRefKind::list)
      return b.kind != TypeRefKind::list || types_conflict(*a.of_type, *b.of_type);
    if (b.kind == TypeRefKind::list) return true;
    if (a.kind == TypeRefKind::non_null) {
      return b.kind != TypeRefKind::non_null || types_conflict(*a.of_type, *b.of_type);
    }
    if (b.kind == TypeRefKind::non_null) return true;
    const TypeDef* ta = schema_.type(a.named.name.value);
    const TypeDef* tb = schema_.type(b.named.name.value);
    if ((ta != nullptr && ta->is_leaf()) || (tb != nullptr && tb->is_leaf())) return ta != tb;
    return false;
  }

  std::optional<Conflict> find_conflict(bool parents_exclusive, const std::string& name,
                                        const FieldEntry& f1, const FieldEntry& f2) {
    budget_ -= 2;
    if (budget_ < 0) aborted_ = true;
    if (aborted_) return std::nullopt;
    const bool exclusive =
        parents_exclusive ||
        (f1.parent != f2.parent && f1.parent != nullptr && f2.parent != nullptr &&
         f1.parent->kind == TypeKind::object && f2.parent->kind == TypeKind::object);
    auto conflict = [&](std::string text) {
      return Conflict{name, Reason{std::move(text), {}}, {f1.node->loc}, {f2.node->loc}};
    };
    if (!exclusive) {
      if (f1.node->name.value != f2.node->name.value) {
        return conflict("\"" + f1.node->name.value + "\" and \"" + f2.node->name.value +
                        "\" are different fields");
      }
      if (!same_arguments(*f1.node, *f2.node)) return conflict("they have differing arguments");
    }
    if (f1.def != nullptr && f2.def != nullptr && types_conflict(f1.def->type, f2.def->type)) {
      return conflict("they return conflicting types \"" + print_type(f1.def->type) + "\" and \"" +
                      print_type(f2.def->type) + "\"");
    }
    if (!f1.node->selection_set || !f2.node->selection_set) return std::nullopt;
    const TypeDef* t1 = f1.def != nullptr ? schema_.type(named_type(f1.def->type)) : nullptr;
    const TypeDef* t2 = f2.def != nullptr ? schema_.type(named_type(f2.def->type)) : nullptr;
    auto sub =
        between_sub_selections(exclusive, t1, *f1.node->selection_set, t2, *f2.node->selection_set);
    if (sub.empty()) return std::nullopt;
    Conflict out{name, Reason{}, {f1.node->loc}, {f2.node->loc}};
    for (auto& c : sub) {
      out.reason.subfields.push_back({c.response_name, std::move(c.reason)});
      out.fields1.insert(out.fields1.end(), c.fields1.begin(), c.fields1.end());
      out.fields2.insert(out.fields2.end(), c.fields2.begin(), c.fields2.end());
    }
    return out;
  }

  std::vector<Conflict> between_sub_selections(bool exclusive, const TypeDef* t1,
                                               const SelectionSet& s1, const TypeDef* t2,
                                               const SelectionSet& s2) {
    std::vector<Conflict> conflicts;
    const FieldsAndFragments& a = fields_and_fragments(t1, s1);
    const FieldsAndFragments& b = fields_and_fragments(t2, s2);
    between(conflicts, exclusive, a.fields, b.fields);
    for (const auto& f : b.fragments)
      between_fields_and_fragment(conflicts, exclusive, a.fields, f);
    for (const auto& f : a.fragments)
      between_fields_and_fragment(conflicts, exclusive, b.fields, f);
    for (const auto& f1 : a.fragments) {
      for (const auto& f2 : b.fragments) between_fragments(conflicts, exclusive, f1, f2);
    }
    return conflicts;
  }

  const Schema& schema_;
  // graphql-js 16.15's bound on the work of this rule (2 per field pair compared), so
  // that a hostile document ({ a a a ... }) cannot cost quadratic time.
  std::int64_t budget_ = 500000;
  bool aborted_ = false;
  std::map<std::string, const FragmentDefinition*, std::less<>> fragments_;
  std::map<const SelectionSet*, FieldsAndFragments> cache_;
  std::map<std::pair<std::string, std::string>, bool> compared_;
};

// Every selection set of the document with its parent type, as graphql-js visits them.
class SelectionSetVisitor {
 public:
  SelectionSetVisitor(const Schema& schema, OverlapChecker& checker,
                      std::vector<GraphQLError>& errors)
      : schema_(schema), checker_(checker), errors_(errors) {}

  // graphql-js 16.15 flattens an inline fragment into its enclosing set (so checks it
  // only there) and skips a set of one field.
  void visit(const TypeDef* parent, const SelectionSet& set, bool flattened = false) {
    if (checker_.aborted()) return;
    const bool trivial =
        set.selections.size() <= 1 &&
        (set.selections.empty() || !std::holds_alternative<InlineFragment>(set.selections[0].node));
    if (!flattened && !trivial) {
      auto conflicts = checker_.within(parent, set);
      if (checker_.aborted()) return;  // graphql-js reports nothing of an aborted set
      report(std::move(conflicts));
    }
    for (const auto& selection : set.selections) {
      if (const auto* field = std::get_if<Field>(&selection.node)) {
        if (!field->selection_set) continue;
        const TypeDef* type = nullptr;
        if (parent != nullptr) {
          const FieldDef* def = field->name.value == "__schema" || field->name.value == "__type"
                                    ? meta(parent, field->name.value)
                                    : parent->field(field->name.value);
          if (def != nullptr) type = schema_.type(named_type(def->type));
        }
        visit(type != nullptr && type->is_composite() ? type : nullptr, *field->selection_set);
      } else if (const auto* inline_fragment = std::get_if<InlineFragment>(&selection.node)) {
        const TypeDef* type = inline_fragment->type_condition
                                  ? schema_.type(inline_fragment->type_condition->name.value)
                                  : parent;
        visit(type != nullptr && type->is_composite() ? type : nullptr,
              inline_fragment->selection_set, true);
      }
    }
  }

 private:
  void report(std::vector<Conflict> conflicts) {
    for (auto& c : conflicts) {
      std::vector<SourceLocation> locations = c.fields1;
      locations.insert(locations.end(), c.fields2.begin(), c.fields2.end());
      errors_.push_back(
          {"Fields \"" + c.response_name + "\" conflict because " + reason_message(c.reason) +
               ". Use different aliases on the fields to fetch both if this was intentional.",
           std::move(locations), nullptr});
    }
  }

  const FieldDef* meta(const TypeDef* parent, const std::string& name) {
    static FieldDef schema_field = [] {
      FieldDef f;
      f.name = "__schema";
      f.type = make_named_type("__Schema");
      return f;
    }();
    static FieldDef type_field = [] {
      FieldDef f;
      f.name = "__type";
      f.type = make_named_type("__Type");
      return f;
    }();
    if (parent != schema_.query_type()) return nullptr;
    return name == "__schema" ? &schema_field : &type_field;
  }

  const Schema& schema_;
  OverlapChecker& checker_;
  std::vector<GraphQLError>& errors_;
};

}  // namespace

void check_overlapping_fields(const Schema& schema, const Document& document,
                              std::vector<GraphQLError>& errors) {
  OverlapChecker checker(schema, document);
  SelectionSetVisitor visitor(schema, checker, errors);
  for (const auto& d : document.definitions) {
    if (const auto* op = std::get_if<OperationDefinition>(&d)) {
      visitor.visit(schema.root_type(op->operation), op->selection_set);
    } else if (const auto* f = std::get_if<FragmentDefinition>(&d)) {
      const TypeDef* type = schema.type(f->type_condition.name.value);
      visitor.visit(type != nullptr && type->is_composite() ? type : nullptr, f->selection_set);
    }
  }
  if (checker.aborted()) errors.push_back({"Validation aborted.", {}, nullptr});
}

}  // namespace herald::graphql
