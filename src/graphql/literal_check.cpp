// Validation of input literals (spec 5.6.1 "Values of Correct Type"), graphql-js's words.
#include <cmath>
#include <cstdlib>
#include <map>

#include "graphql/printer.hpp"
#include "graphql/suggestions.hpp"
#include "graphql/values.hpp"

namespace herald::graphql {

namespace {

bool is_int32(double d) {
  return d >= -2147483648.0 && d <= 2147483647.0 && std::floor(d) == d;
}

std::string literal_scalar_error(const TypeDef& type, const Value& value) {
  const std::string text = print(value);
  const auto& n = value.node;
  if (type.name == "Int") {
    if (const auto* i = std::get_if<IntValue>(&n)) {
      const double d = std::strtod(i->text.c_str(), nullptr);
      if (!is_int32(d)) return "Int cannot represent non 32-bit signed integer value: " + text;
      return {};
    }
    return "Int cannot represent non-integer value: " + text;
  }
  if (type.name == "Float") {
    if (std::holds_alternative<IntValue>(n) || std::holds_alternative<FloatValue>(n)) return {};
    return "Float cannot represent non numeric value: " + text;
  }
  if (type.name == "String") {
    if (std::holds_alternative<StringValue>(n)) return {};
    return "String cannot represent a non string value: " + text;
  }
  if (type.name == "Boolean") {
    if (std::holds_alternative<BooleanValue>(n)) return {};
    return "Boolean cannot represent a non boolean value: " + text;
  }
  if (type.name == "ID") {
    if (std::holds_alternative<StringValue>(n) || std::holds_alternative<IntValue>(n)) return {};
    return "ID cannot represent a non-string and non-integer value: " + text;
  }
  return {};  // custom scalars take any literal
}

}  // namespace

namespace {

// `location` is the type graphql-js's TypeInfo gives this value: a non-list value in a
// list position keeps the list type, as a non-null wrapper does.
void check_at(const Schema& schema, const TypeRef& type, const TypeRef& location,
              const Value& value, std::vector<GraphQLError>& errors) {
  if (std::holds_alternative<Variable>(value.node)) return;
  if (type.kind == TypeRefKind::non_null) {
    if (std::holds_alternative<NullValue>(value.node)) {
      errors.push_back({"Expected value of type \"" + print_type(location) + "\", found null.",
                        {value.loc},
                        nullptr});
      return;
    }
    check_at(schema, *type.of_type, location, value, errors);
    return;
  }
  if (std::holds_alternative<NullValue>(value.node)) return;
  if (type.kind == TypeRefKind::list) {
    if (const auto* list = std::get_if<ListValue>(&value.node)) {
      for (const auto& item : list->values) {
        check_at(schema, *type.of_type, *type.of_type, item, errors);
      }
    } else {
      check_at(schema, *type.of_type, location, value, errors);
    }
    return;
  }
  const TypeDef* named = schema.type(type.named.name.value);
  if (named == nullptr) return;
  // A list where no list belongs: graphql-js names the (nullable) type of its items.
  const std::string type_str =
      print_type(std::holds_alternative<ListValue>(value.node) ? type : location);
  if (named->kind == TypeKind::input_object) {
    const auto* object = std::get_if<ObjectValue>(&value.node);
    if (object == nullptr) {
      errors.push_back({"Expected value of type \"" + type_str + "\", found " + print(value) + ".",
                        {value.loc},
                        nullptr});
      return;
    }
    for (const auto& def : named->input_fields) {
      bool given = false;
      for (const auto& f : object->fields) given = given || f.name.value == def.name;
      if (!given && def.type.kind == TypeRefKind::non_null && !def.default_value) {
        errors.push_back({"Field \"" + named->name + "." + def.name + "\" of required type \"" +
                              print_type(def.type) + "\" was not provided.",
                          {value.loc},
                          nullptr});
      }
    }
    if (named->one_of) {
      // graphql-js keys fields by name: a repeated name counts once, the last one wins.
      std::map<std::string, const ObjectField*> by_name;
      for (const auto& f : object->fields) by_name[f.name.value] = &f;
      if (by_name.size() != 1) {
        errors.push_back(
            {"OneOf Input Object \"" + named->name + "\" must specify exactly one key.",
             {value.loc},
             nullptr});
      } else if (std::holds_alternative<NullValue>(by_name.begin()->second->value.node)) {
        errors.push_back(
            {"Field \"" + named->name + "." + by_name.begin()->first + "\" must be non-null.",
             {value.loc},
             nullptr});
      }
    }
    for (const auto& f : object->fields) {
      const InputValueDef* def = named->input_field(f.name.value);
      if (def == nullptr) {
        std::vector<std::string> names;
        for (const auto& d : named->input_fields) names.push_back(d.name);
        errors.push_back({"Field \"" + f.name.value + "\" is not defined by type \"" + named->name +
                              "\"." + did_you_mean(suggestion_list(f.name.value, names)),
                          {f.loc},
                          nullptr});
      } else {
        check_at(schema, def->type, def->type, f.value, errors);
      }
    }
    return;
  }
  if (named->kind == TypeKind::enum_type) {
    const auto* e = std::get_if<EnumValue>(&value.node);
    std::vector<std::string> names;
    for (const auto& v : named->enum_values) names.push_back(v.name);
    const std::string text = print(value);
    const std::string hint = did_you_mean(suggestion_list(text, names), "the enum value");
    if (e == nullptr) {
      errors.push_back(
          {"Enum \"" + named->name + "\" cannot represent non-enum value: " + text + "." + hint,
           {value.loc},
           nullptr});
    } else if (named->enum_value(e->value) == nullptr) {
      errors.push_back(
          {"Value \"" + e->value + "\" does not exist in \"" + named->name + "\" enum." + hint,
           {value.loc},
           nullptr});
    }
    return;
  }
  std::string message = literal_scalar_error(*named, value);
  if (!message.empty()) errors.push_back({std::move(message), {value.loc}, nullptr});
}

}  // namespace

void check_literal(const Schema& schema, const TypeRef& type, const Value& value,
                   std::vector<GraphQLError>& errors) {
  check_at(schema, type, type, value, errors);
}

}  // namespace herald::graphql
