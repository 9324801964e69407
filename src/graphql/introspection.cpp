#include "graphql/introspection.hpp"

#include "graphql/printer.hpp"

namespace herald::graphql {

using json = nlohmann::ordered_json;

namespace {

// A nullable Boolean argument: null counts as false.
bool include_deprecated_arg(const json& args) {
  auto it = args.find("includeDeprecated");
  return it != args.end() && it->is_boolean() && it->get<bool>();
}

json optional_string(const std::optional<std::string>& s) {
  return s ? json(*s) : json(nullptr);
}

const char* kind_name(TypeKind kind) {
  switch (kind) {
    case TypeKind::scalar:
      return "SCALAR";
    case TypeKind::object:
      return "OBJECT";
    case TypeKind::interface_type:
      return "INTERFACE";
    case TypeKind::union_type:
      return "UNION";
    case TypeKind::enum_type:
      return "ENUM";
    case TypeKind::input_object:
      return "INPUT_OBJECT";
  }
  return "SCALAR";
}

json input_value(const InputValueDef& v) {
  return {{"name", v.name},
          {"description", optional_string(v.description)},
          {"type", type_handle(v.type)},
          {"defaultValue", v.default_value ? json(print(*v.default_value)) : json(nullptr)},
          {"isDeprecated", v.deprecation_reason.has_value()},
          {"deprecationReason", optional_string(v.deprecation_reason)}};
}

json input_values(const std::vector<InputValueDef>& values, bool include_deprecated) {
  json out = json::array();
  for (const auto& v : values) {
    if (include_deprecated || !v.deprecation_reason) out.push_back(input_value(v));
  }
  return out;
}

json directive(const DirectiveDef& d) {
  json locations = json::array();
  for (const auto& l : d.locations) locations.push_back(l);
  return {{"name", d.name},
          {"description", optional_string(d.description)},
          {"isRepeatable", d.repeatable},
          {"locations", locations},
          {"__args", input_values(d.arguments, true)},
          {"isDeprecated", false},
          {"deprecationReason", nullptr}};
}

json field(const FieldDef& f) {
  return {{"name", f.name},
          {"description", optional_string(f.description)},
          {"__args", input_values(f.arguments, true)},
          {"type", type_handle(f.type)},
          {"isDeprecated", f.deprecation_reason.has_value()},
          {"deprecationReason", optional_string(f.deprecation_reason)}};
}

json names_to_handles(const std::vector<std::string>& names) {
  json out = json::array();
  for (const auto& n : names) out.push_back(named_type_handle(n));
  return out;
}

json resolve_type_field(const Schema& schema, const json& handle, const std::string& name,
                        const json& args) {
  const bool include_deprecated = include_deprecated_arg(args);
  if (handle.contains("ofKind")) {
    if (name == "kind") return handle["ofKind"];
    if (name == "ofType") return handle["ofType"];
    if (name == "name" || name == "description" || name == "specifiedByURL") return nullptr;
    return nullptr;
  }
  const TypeDef* t = schema.type(handle["name"].get<std::string>());
  if (t == nullptr) return nullptr;
  if (name == "kind") return kind_name(t->kind);
  if (name == "name") return t->name;
  if (name == "description") return optional_string(t->description);
  if (name == "specifiedByURL") return optional_string(t->specified_by_url);
  if (name == "ofType") return nullptr;
  if (name == "isOneOf") return t->kind == TypeKind::input_object ? json(t->one_of) : json(nullptr);
  if (name == "fields") {
    if (t->kind != TypeKind::object && t->kind != TypeKind::interface_type) return nullptr;
    json out = json::array();
    for (const auto& f : t->fields) {
      if (include_deprecated || !f.deprecation_reason) out.push_back(field(f));
    }
    return out;
  }
  if (name == "interfaces") {
    if (t->kind != TypeKind::object && t->kind != TypeKind::interface_type) return nullptr;
    return names_to_handles(t->interfaces);
  }
  if (name == "possibleTypes") {
    if (!t->is_abstract()) return nullptr;
    return names_to_handles(schema.possible_types(*t));
  }
  if (name == "enumValues") {
    if (t->kind != TypeKind::enum_type) return nullptr;
    json out = json::array();
    for (const auto& v : t->enum_values) {
      if (!include_deprecated && v.deprecation_reason) continue;
      out.push_back({{"name", v.name},
                     {"description", optional_string(v.description)},
                     {"isDeprecated", v.deprecation_reason.has_value()},
                     {"deprecationReason", optional_string(v.deprecation_reason)}});
    }
    return out;
  }
  if (name == "inputFields") {
    if (t->kind != TypeKind::input_object) return nullptr;
    return input_values(t->input_fields, include_deprecated);
  }
  return nullptr;
}

}  // namespace

json schema_handle() {
  return json::object();
}

json named_type_handle(const std::string& name) {
  return {{"name", name}};
}

json type_handle(const TypeRef& type) {
  switch (type.kind) {
    case TypeRefKind::named:
      return named_type_handle(type.named.name.value);
    case TypeRefKind::list:
      return {{"ofKind", "LIST"}, {"ofType", type_handle(*type.of_type)}};
    case TypeRefKind::non_null:
      return {{"ofKind", "NON_NULL"}, {"ofType", type_handle(*type.of_type)}};
  }
  return nullptr;
}

json resolve_introspection(const Schema& schema, const std::string& parent_type, const json& value,
                           const std::string& field_name, const json& args) {
  if (parent_type == "__Schema") {
    if (field_name == "description") return optional_string(schema.description);
    if (field_name == "types") {
      json out = json::array();
      for (const auto& name : schema.introspection_types()) out.push_back(named_type_handle(name));
      return out;
    }
    auto root = [](const TypeDef* t) { return t ? named_type_handle(t->name) : json(nullptr); };
    if (field_name == "queryType") return root(schema.query_type());
    if (field_name == "mutationType") return root(schema.mutation_type());
    if (field_name == "subscriptionType") return root(schema.subscription_type());
    if (field_name == "directives") {
      json out = json::array();
      for (const auto& d : schema.directives()) out.push_back(directive(d));
      return out;
    }
    return nullptr;
  }
  if (parent_type == "__Type") return resolve_type_field(schema, value, field_name, args);
  if (field_name == "args" && value.contains("__args")) {
    if (include_deprecated_arg(args)) return value["__args"];
    json out = json::array();
    for (const auto& a : value["__args"]) {
      if (!a["isDeprecated"].get<bool>()) out.push_back(a);
    }
    return out;
  }
  auto it = value.find(field_name);
  return it == value.end() ? json(nullptr) : *it;
}

}  // namespace herald::graphql
