#include "graphql/values.hpp"

#include <algorithm>
#include <cmath>
#include <cstdlib>

namespace herald::graphql {

namespace {

InputError input_error(std::string message, std::string path) {
  return InputError{std::move(message), std::move(path), nullptr, false};
}

bool is_int32(double d) {
  return d >= -2147483648.0 && d <= 2147483647.0 && std::floor(d) == d;
}

}  // namespace

namespace {

// graphql-js's inspect(): nesting beyond two levels is elided, arrays show ten items.
std::string inspect_at(const json& value, int depth) {
  if (value.is_object()) {
    if (value.empty()) return "{}";
    if (depth > 2) return "[Object]";
    std::string out = "{ ";
    bool first = true;
    for (const auto& [k, v] : value.items()) {
      if (!first) out += ", ";
      first = false;
      out += k + ": " + inspect_at(v, depth + 1);
    }
    return out + " }";
  }
  if (value.is_array()) {
    if (value.empty()) return "[]";
    if (depth > 2) return "[Array]";
    std::string out = "[";
    const std::size_t shown = std::min<std::size_t>(value.size(), 10);
    for (std::size_t i = 0; i < shown; ++i)
      out += (i > 0 ? ", " : "") + inspect_at(value[i], depth + 1);
    const std::size_t remaining = value.size() - shown;
    if (remaining == 1) out += ", ... 1 more item";
    if (remaining > 1) out += ", ... " + std::to_string(remaining) + " more items";
    return out + "]";
  }
  return value.dump();
}

}  // namespace

std::string inspect(const json& value) {
  return inspect_at(value, 1);
}

namespace {

std::optional<InputError> scalar_from_json(const TypeDef& type, const json& value, json& out) {
  const std::string& n = type.name;
  if (n == "Int") {
    if (value.is_number_integer() && is_int32(value.get<double>())) {
      out = value.get<std::int64_t>();
      return std::nullopt;
    }
    if (value.is_number_float() && is_int32(value.get<double>())) {
      out = static_cast<std::int64_t>(value.get<double>());
      return std::nullopt;
    }
    if (value.is_number()) {
      return input_error("Int cannot represent non 32-bit signed integer value: " + inspect(value),
                         "");
    }
    return input_error("Int cannot represent non-integer value: " + inspect(value), "");
  }
  if (n == "Float") {
    if (value.is_number()) {
      out = value;
      return std::nullopt;
    }
    return input_error("Float cannot represent non numeric value: " + inspect(value), "");
  }
  if (n == "String") {
    if (value.is_string()) {
      out = value;
      return std::nullopt;
    }
    return input_error("String cannot represent a non string value: " + inspect(value), "");
  }
  if (n == "Boolean") {
    if (value.is_boolean()) {
      out = value;
      return std::nullopt;
    }
    return input_error("Boolean cannot represent a non boolean value: " + inspect(value), "");
  }
  if (n == "ID") {
    if (value.is_string()) {
      out = value;
    } else if (value.is_number_integer()) {
      out = value.dump();
    } else {
      return input_error("ID cannot represent value: " + inspect(value), "");
    }
    return std::nullopt;
  }
  out = value;  // custom scalar: JSON pass-through
  return std::nullopt;
}

}  // namespace

namespace {
std::optional<InputError> coerce_json_here(const Schema& schema, const TypeRef& type,
                                           const json& value, json& out, std::string path);
}  // namespace

std::optional<InputError> coerce_json(const Schema& schema, const TypeRef& type, const json& value,
                                      json& out, std::string path) {
  auto error = coerce_json_here(schema, type, value, out, std::move(path));
  if (error && !error->has_value) {
    error->value = value;  // the innermost value that failed, as graphql-js reports it
    error->has_value = true;
  }
  return error;
}

namespace {
std::optional<InputError> coerce_json_here(const Schema& schema, const TypeRef& type,
                                           const json& value, json& out, std::string path) {
  if (type.kind == TypeRefKind::non_null) {
    if (value.is_null()) {
      return input_error("Expected non-nullable type \"" + print_type(type) + "\" not to be null.",
                         path);
    }
    return coerce_json(schema, *type.of_type, value, out, std::move(path));
  }
  if (value.is_null()) {
    out = nullptr;
    return std::nullopt;
  }
  if (type.kind == TypeRefKind::list) {
    out = json::array();
    if (!value.is_array()) {
      json item;
      auto error = coerce_json(schema, *type.of_type, value, item, path);
      out.push_back(std::move(item));
      return error;
    }
    for (std::size_t i = 0; i < value.size(); ++i) {
      json item;
      auto error =
          coerce_json(schema, *type.of_type, value[i], item, path + "[" + std::to_string(i) + "]");
      if (error) return error;
      out.push_back(std::move(item));
    }
    return std::nullopt;
  }
  const TypeDef* named = schema.type(type.named.name.value);
  if (named == nullptr) return input_error("Unknown type \"" + type.named.name.value + "\".", path);
  if (named->kind == TypeKind::input_object) {
    if (!value.is_object()) {
      return input_error("Expected type \"" + named->name + "\" to be an object.", path);
    }
    out = json::object();
    for (const auto& def : named->input_fields) {
      auto it = value.find(def.name);
      if (it == value.end()) {
        if (def.default_value) {
          out[def.name] = const_value_to_json(*def.default_value);
        } else if (def.type.kind == TypeRefKind::non_null) {
          return input_error("Field \"" + def.name + "\" of required type \"" +
                                 print_type(def.type) + "\" was not provided.",
                             path);
        }
        continue;
      }
      json field;
      auto error = coerce_json(schema, def.type, *it, field, path + "." + def.name);
      if (error) return error;
      out[def.name] = std::move(field);
    }
    if (named->one_of && out.size() != 1) {
      return input_error(
          "Exactly one key must be specified for OneOf type \"" + named->name + "\".", path);
    }
    if (named->one_of && out.begin().value().is_null()) {
      InputError error = input_error("Field \"" + out.begin().key() + "\" must be non-null.",
                                     path + "." + out.begin().key());
      error.has_value = true;  // the null itself
      return error;
    }
    for (const auto& [key, v] : value.items()) {
      if (named->input_field(key) == nullptr) {
        return input_error("Field \"" + key + "\" is not defined by type \"" + named->name + "\".",
                           path);
      }
    }
    return std::nullopt;
  }
  if (named->kind == TypeKind::enum_type) {
    if (!value.is_string()) {
      return input_error(
          "Enum \"" + named->name + "\" cannot represent non-string value: " + inspect(value) + ".",
          path);
    }
    if (named->enum_value(value.get<std::string>()) == nullptr) {
      return input_error(
          "Value " + inspect(value) + " does not exist in \"" + named->name + "\" enum.", path);
    }
    out = value;
    return std::nullopt;
  }
  auto error = scalar_from_json(*named, value, out);
  if (error) error->path = path;
  return error;
}

}  // namespace

CoercedVariables coerce_variables(const Schema& schema, const OperationDefinition& operation,
                                  const json& variables) {
  CoercedVariables result;
  static const json empty = json::object();
  const json& given = variables.is_object() ? variables : empty;
  for (const auto& def : operation.variable_definitions) {
    const std::string& name = def.variable.name.value;
    const std::string type_str = print_type(def.type);
    auto it = given.find(name);
    if (it == given.end()) {
      if (def.default_value) {
        result.values[name] =
            value_from_literal(schema, def.type, *def.default_value, json::object())
                .value_or(json(nullptr));
      } else if (def.type.kind == TypeRefKind::non_null) {
        result.errors.push_back(
            {"Variable \"$" + name + "\" of required type \"" + type_str + "\" was not provided.",
             {def.loc},
             nullptr});
      }
      continue;
    }
    if (it->is_null() && def.type.kind == TypeRefKind::non_null) {
      result.errors.push_back(
          {"Variable \"$" + name + "\" of non-null type \"" + type_str + "\" must not be null.",
           {def.loc},
           nullptr});
      continue;
    }
    json coerced;
    auto error = coerce_json(schema, def.type, *it, coerced);
    if (error) {
      std::string message = "Variable \"$" + name + "\" got invalid value " + inspect(error->value);
      if (!error->path.empty()) message += " at \"" + name + error->path + "\"";
      result.errors.push_back({message + "; " + error->message, {def.loc}, nullptr});
      continue;
    }
    result.values[name] = std::move(coerced);
  }
  return result;
}

json const_value_to_json(const Value& value) {
  return std::visit(
      [](const auto& v) -> json {
        using T = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<T, IntValue>) {
          return json::parse(v.text, nullptr, false);
        } else if constexpr (std::is_same_v<T, FloatValue>) {
          return std::strtod(v.text.c_str(), nullptr);
        } else if constexpr (std::is_same_v<T, StringValue> || std::is_same_v<T, BooleanValue>) {
          return v.value;
        } else if constexpr (std::is_same_v<T, EnumValue>) {
          return v.value;
        } else if constexpr (std::is_same_v<T, ListValue>) {
          json out = json::array();
          for (const auto& item : v.values) out.push_back(const_value_to_json(item));
          return out;
        } else if constexpr (std::is_same_v<T, ObjectValue>) {
          json out = json::object();
          for (const auto& f : v.fields) out[f.name.value] = const_value_to_json(f.value);
          return out;
        } else {
          return nullptr;  // NullValue; Variable never occurs in a const value
        }
      },
      value.node);
}

std::optional<json> value_from_literal(const Schema& schema, const TypeRef& type,
                                       const Value& value, const json& variables) {
  if (const auto* var = std::get_if<Variable>(&value.node)) {
    auto it = variables.find(var->name.value);
    if (it == variables.end()) return std::nullopt;
    return *it;
  }
  if (type.kind == TypeRefKind::non_null) {
    return value_from_literal(schema, *type.of_type, value, variables);
  }
  if (std::holds_alternative<NullValue>(value.node)) return json(nullptr);
  if (type.kind == TypeRefKind::list) {
    json out = json::array();
    if (const auto* list = std::get_if<ListValue>(&value.node)) {
      for (const auto& item : list->values) {
        out.push_back(value_from_literal(schema, *type.of_type, item, variables).value_or(nullptr));
      }
    } else {
      out.push_back(value_from_literal(schema, *type.of_type, value, variables).value_or(nullptr));
    }
    return out;
  }
  const TypeDef* named = schema.type(type.named.name.value);
  if (named != nullptr && named->kind == TypeKind::input_object) {
    json out = json::object();
    const auto* object = std::get_if<ObjectValue>(&value.node);
    for (const auto& def : named->input_fields) {
      const Value* given = nullptr;
      if (object != nullptr) {
        for (const auto& f : object->fields) given = f.name.value == def.name ? &f.value : given;
      }
      std::optional<json> v;
      if (given != nullptr) v = value_from_literal(schema, def.type, *given, variables);
      if (!v && def.default_value) v = const_value_to_json(*def.default_value);
      if (v) out[def.name] = std::move(*v);
    }
    return out;
  }
  json literal = const_value_to_json(value);
  if (named != nullptr && named->name == "ID" && literal.is_number()) return literal.dump();
  return literal;
}

std::optional<std::string> coerce_arguments(const Schema& schema,
                                            const std::vector<InputValueDef>& definitions,
                                            const std::vector<Argument>& arguments,
                                            const json& variables, json& out) {
  out = json::object();
  for (const auto& def : definitions) {
    const Argument* given = nullptr;
    for (const auto& a : arguments) given = a.name.value == def.name ? &a : given;
    std::optional<json> v;
    if (given != nullptr) v = value_from_literal(schema, def.type, given->value, variables);
    if (!v && def.default_value) v = const_value_to_json(*def.default_value);
    if (!v) {
      if (def.type.kind == TypeRefKind::non_null) {
        return "Argument \"" + def.name + "\" of required type \"" + print_type(def.type) +
               "\" was not provided.";
      }
      continue;
    }
    if (v->is_null() && def.type.kind == TypeRefKind::non_null) {
      return "Argument \"" + def.name + "\" of non-null type \"" + print_type(def.type) +
             "\" must not be null.";
    }
    out[def.name] = std::move(*v);
  }
  return std::nullopt;
}

}  // namespace herald::graphql
