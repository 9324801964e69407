// Result coercion of leaf values (spec 3.5), as graphql-js 16's scalars serialize.
#include <cmath>
#include <cstdlib>

#include "graphql/values.hpp"

namespace herald::graphql {

namespace {
bool is_int32(double d) {
  return d >= -2147483648.0 && d <= 2147483647.0 && std::floor(d) == d;
}
}  // namespace

namespace {

// JavaScript's Number(text) for a non-empty string: nullopt when it is NaN.
std::optional<double> js_number(const std::string& text) {
  const auto first = text.find_first_not_of(" \t\n\r");
  if (first == std::string::npos) return 0.0;
  const std::string trimmed = text.substr(first, text.find_last_not_of(" \t\n\r") - first + 1);
  char* end = nullptr;
  const double d = std::strtod(trimmed.c_str(), &end);
  if (end != trimmed.c_str() + trimmed.size() ||
      trimmed.find_first_of("xXnN") != std::string::npos) {
    return std::nullopt;  // hex, nan, inf spellings and garbage: NaN in JavaScript (near enough)
  }
  return d;
}

// A leaf as a number the way graphql-js's Int and Float serialize read it.
std::optional<double> numeric(const json& value) {
  if (value.is_boolean()) return value.get<bool>() ? 1.0 : 0.0;
  if (value.is_number()) return value.get<double>();
  if (value.is_string() && !value.get_ref<const std::string&>().empty()) {
    return js_number(value.get<std::string>());
  }
  return std::nullopt;
}

json as_json_number(double d) {
  if (std::floor(d) == d && std::fabs(d) < 9007199254740992.0) return static_cast<std::int64_t>(d);
  return d;
}

}  // namespace

// graphql-js 16's serialize of each built-in scalar (result coercion, spec 3.5).
std::optional<std::string> serialize_leaf(const TypeDef& type, const json& value, json& out) {
  const std::string& n = type.name;
  if (type.kind == TypeKind::enum_type) {
    if (value.is_string() && type.enum_value(value.get<std::string>()) != nullptr) {
      out = value;
      return std::nullopt;
    }
    return "Enum \"" + n + "\" cannot represent value: " + inspect(value);
  }
  if (n == "Int") {
    auto num = numeric(value);
    if (!num || std::floor(*num) != *num || !std::isfinite(*num)) {
      return "Int cannot represent non-integer value: " + inspect(value);
    }
    if (!is_int32(*num))
      return "Int cannot represent non 32-bit signed integer value: " + inspect(value);
    out = static_cast<std::int64_t>(*num);
    return std::nullopt;
  }
  if (n == "Float") {
    auto num = numeric(value);
    if (!num || !std::isfinite(*num))
      return "Float cannot represent non numeric value: " + inspect(value);
    out = value.is_number() ? value : as_json_number(*num);
    return std::nullopt;
  }
  if (n == "String") {
    if (value.is_string()) {
      out = value;
    } else if (value.is_boolean()) {
      out = value.get<bool>() ? "true" : "false";
    } else if (value.is_number()) {
      out = value.dump();
    } else {
      return "String cannot represent value: " + inspect(value);
    }
    return std::nullopt;
  }
  if (n == "Boolean") {
    if (value.is_boolean()) {
      out = value;
    } else if (value.is_number()) {
      out = value.get<double>() != 0;
    } else {
      return "Boolean cannot represent a non boolean value: " + inspect(value);
    }
    return std::nullopt;
  }
  if (n == "ID") {
    if (value.is_string()) {
      out = value;
    } else if (value.is_number_integer() ||
               (value.is_number_float() &&
                std::floor(value.get<double>()) == value.get<double>())) {
      out = as_json_number(value.get<double>()).dump();
    } else {
      return "ID cannot represent value: " + inspect(value);
    }
    return std::nullopt;
  }
  out = value;  // custom scalars: JSON as it is
  return std::nullopt;
}

}  // namespace herald::graphql
