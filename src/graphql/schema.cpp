#include "graphql/schema.hpp"

#include <algorithm>
#include <cctype>

namespace herald::graphql {

namespace {
template <typename Def>
const Def* find_by_name(const std::vector<Def>& defs, std::string_view name) {
  auto it = std::find_if(defs.begin(), defs.end(), [&](const Def& d) { return d.name == name; });
  return it == defs.end() ? nullptr : &*it;
}
}  // namespace

const InputValueDef* FieldDef::argument(std::string_view arg_name) const {
  return find_by_name(arguments, arg_name);
}
const FieldDef* TypeDef::field(std::string_view field_name) const {
  return find_by_name(fields, field_name);
}
const InputValueDef* TypeDef::input_field(std::string_view field_name) const {
  return find_by_name(input_fields, field_name);
}
const EnumValueDef* TypeDef::enum_value(std::string_view value_name) const {
  return find_by_name(enum_values, value_name);
}
const InputValueDef* DirectiveDef::argument(std::string_view arg_name) const {
  return find_by_name(arguments, arg_name);
}
bool DirectiveDef::allows(std::string_view location) const {
  return std::find(locations.begin(), locations.end(), location) != locations.end();
}

const TypeDef* Schema::type(std::string_view name) const {
  auto it = type_index_.find(name);
  return it == type_index_.end() ? nullptr : &types_[it->second];
}

const DirectiveDef* Schema::directive(std::string_view name) const {
  return find_by_name(directives_, name);
}

const TypeDef* Schema::root_type(OperationType operation) const {
  switch (operation) {
    case OperationType::query:
      return query_type();
    case OperationType::mutation:
      return mutation_type();
    case OperationType::subscription:
      return subscription_type();
  }
  return nullptr;
}

const std::vector<std::string>& Schema::possible_types(const TypeDef& type) const {
  static const std::vector<std::string> none;
  auto it = possible_.find(type.name);
  return it == possible_.end() ? none : it->second;
}

bool Schema::is_possible_type(const TypeDef& abstract, std::string_view object_name) const {
  const auto& possible = possible_types(abstract);
  return std::find(possible.begin(), possible.end(), object_name) != possible.end();
}

bool Schema::is_subtype(const TypeDef& super, const TypeDef& maybe_sub) const {
  if (super.name == maybe_sub.name) return true;
  if (super.kind == TypeKind::union_type) return is_possible_type(super, maybe_sub.name);
  if (super.kind == TypeKind::interface_type) {
    return std::find(maybe_sub.interfaces.begin(), maybe_sub.interfaces.end(), super.name) !=
           maybe_sub.interfaces.end();
  }
  return false;
}

std::vector<const FieldDef*> Schema::bound_fields() const {
  std::vector<const FieldDef*> bound;
  for (const auto& type : types_) {
    for (const auto& field : type.fields) {
      if (field.binding.kind == BindingKind::view || field.binding.kind == BindingKind::function) {
        bound.push_back(&field);
      }
    }
  }
  return bound;
}

const std::string& named_type(const TypeRef& type) {
  const TypeRef* t = &type;
  while (t->kind != TypeRefKind::named) t = &*t->of_type;
  return t->named.name.value;
}

std::string print_type(const TypeRef& type) {
  switch (type.kind) {
    case TypeRefKind::named:
      return type.named.name.value;
    case TypeRefKind::list: {
      std::string out = "[";  // appended, not "[" + ...: see enclosed() in printer.cpp
      out += print_type(*type.of_type);
      out += ']';
      return out;
    }
    case TypeRefKind::non_null:
      return print_type(*type.of_type) + "!";
  }
  return {};
}

TypeRef make_named_type(std::string name) {
  TypeRef ref;
  ref.kind = TypeRefKind::named;
  ref.named.name.value = std::move(name);
  return ref;
}

bool same_type(const TypeRef& a, const TypeRef& b) {
  if (a.kind != b.kind) return false;
  if (a.kind == TypeRefKind::named) return a.named.name.value == b.named.name.value;
  return same_type(*a.of_type, *b.of_type);
}

std::string to_snake_case(std::string_view camel) {
  std::string out;
  for (std::size_t i = 0; i < camel.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(camel[i]);
    if (std::isupper(c) != 0) {
      if (i > 0) out += '_';
      out += static_cast<char>(std::tolower(c));
    } else {
      out += camel[i];
    }
  }
  return out;
}

std::string to_camel_case(std::string_view snake) {
  std::string out;
  bool upper_next = false;
  for (char c : snake) {
    if (c == '_' && !out.empty()) {
      upper_next = true;
    } else if (upper_next) {
      out += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      upper_next = false;
    } else {
      out += c;
    }
  }
  return out;
}

}  // namespace herald::graphql
