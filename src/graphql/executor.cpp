#include "graphql/executor.hpp"

#include "graphql/introspection.hpp"
#include "graphql/values.hpp"

namespace herald::graphql {

using json = nlohmann::ordered_json;

namespace {

FieldDef meta_field(std::string name, TypeRef type, std::vector<InputValueDef> args = {}) {
  FieldDef f;
  f.name = std::move(name);
  f.type = std::move(type);
  f.arguments = std::move(args);
  return f;
}

TypeRef non_null(TypeRef inner) {
  TypeRef ref;
  ref.kind = TypeRefKind::non_null;
  ref.of_type = Box<TypeRef>(std::move(inner));
  return ref;
}

std::string lower_first(std::string name) {
  if (!name.empty() && name[0] >= 'A' && name[0] <= 'Z')
    name[0] = static_cast<char>(name[0] - 'A' + 'a');
  return name;
}

}  // namespace

const FieldDef* find_field(const Schema& schema, const TypeDef& parent, std::string_view name) {
  static const FieldDef typename_field =
      meta_field("__typename", non_null(make_named_type("String")));
  static const FieldDef schema_field =
      meta_field("__schema", non_null(make_named_type("__Schema")));
  static const FieldDef type_field = meta_field("__type", make_named_type("__Type"),
                                                {InputValueDef{"name",
                                                               std::nullopt,
                                                               non_null(make_named_type("String")),
                                                               std::nullopt,
                                                               std::nullopt,
                                                               {}}});
  if (name == "__typename") return &typename_field;
  if (&parent == schema.query_type()) {
    if (name == "__schema") return &schema_field;
    if (name == "__type") return &type_field;
  }
  return parent.field(name);
}

Executor::Executor(const Schema& schema, const Document& document, json variables,
                   const ExecutionContext& context)
    : schema_(schema), variables_(std::move(variables)), context_(context) {
  for (const auto& d : document.definitions) {
    if (const auto* f = std::get_if<FragmentDefinition>(&d)) fragments_.emplace(f->name.value, f);
  }
}

bool Executor::should_include(const std::vector<Directive>& directives) const {
  for (const auto& d : directives) {
    if (d.name.value != "skip" && d.name.value != "include") continue;
    const DirectiveDef* def = schema_.directive(d.name.value);
    json args;
    if (def == nullptr ||
        coerce_arguments(schema_, def->arguments, d.arguments, variables_, args)) {
      continue;
    }
    const bool condition = args.contains("if") && args["if"].is_boolean() && args["if"].get<bool>();
    if (d.name.value == "skip" && condition) return false;
    if (d.name.value == "include" && !condition) return false;
  }
  return true;
}

void Executor::collect_fields(const TypeDef& object_type, const SelectionSet& selection_set,
                              FieldGroups& groups, std::set<std::string>& visited) const {
  auto applies = [&](const std::string& condition) {
    const TypeDef* t = schema_.type(condition);
    return t != nullptr && schema_.is_subtype(*t, object_type);
  };
  for (const auto& selection : selection_set.selections) {
    if (const auto* field = std::get_if<Field>(&selection.node)) {
      if (!should_include(field->directives)) continue;
      const std::string& key = field->response_key();
      auto it = std::find_if(groups.begin(), groups.end(), [&](auto& g) { return g.first == key; });
      if (it == groups.end()) {
        groups.push_back({key, {field}});
      } else {
        it->second.push_back(field);
      }
    } else if (const auto* spread = std::get_if<FragmentSpread>(&selection.node)) {
      if (!should_include(spread->directives) || !visited.insert(spread->name.value).second)
        continue;
      auto it = fragments_.find(spread->name.value);
      if (it == fragments_.end() || !applies(it->second->type_condition.name.value)) continue;
      collect_fields(object_type, it->second->selection_set, groups, visited);
    } else if (const auto* inline_fragment = std::get_if<InlineFragment>(&selection.node)) {
      if (!should_include(inline_fragment->directives)) continue;
      if (inline_fragment->type_condition &&
          !applies(inline_fragment->type_condition->name.value)) {
        continue;
      }
      collect_fields(object_type, inline_fragment->selection_set, groups, visited);
    }
  }
}

std::optional<json> Executor::execute_fields(const TypeDef& object_type, const json& value,
                                             const FieldGroups& groups, const json& path,
                                             bool /*serially: fields already run in order*/) {
  json data = json::object();
  bool nulled = false;
  for (const auto& [key, fields] : groups) {
    json field_path = path;
    field_path.push_back(key);
    const FieldDef* def = find_field(schema_, object_type, fields.front()->name.value);
    if (def == nullptr) continue;  // validation rejects this; execution skips it (spec 6.3)
    auto result = execute_field(object_type, value, fields, field_path);
    if (!result) {
      if (def->type.kind == TypeRefKind::non_null) nulled = true;
      data[key] = nullptr;
    } else {
      data[key] = std::move(*result);
    }
  }
  if (nulled) return std::nullopt;
  return data;
}

// Located at every field of the group, as graphql-js's locatedError does.
void Executor::field_error(std::string message, const std::vector<const Field*>& fields,
                           const json& path) {
  std::vector<SourceLocation> locations;
  for (const Field* f : fields) locations.push_back(f->loc);
  errors_.push_back(GraphQLError{std::move(message), std::move(locations), path});
}

std::optional<json> Executor::execute_field(const TypeDef& parent, const json& value,
                                            const std::vector<const Field*>& fields,
                                            const json& path) {
  const Field& field = *fields.front();
  const FieldDef* def = find_field(schema_, parent, field.name.value);
  json args;
  if (auto error = coerce_arguments(schema_, def->arguments, field.arguments, variables_, args)) {
    field_error(*error, fields, path);
    return std::nullopt;
  }
  auto resolved = resolve(parent, *def, value, args);
  if (!resolved) {
    field_error(resolved.error().message, fields, path);
    return std::nullopt;
  }
  return complete_value(def->type, fields, *resolved, path, parent.name + "." + def->name);
}

Result<json> Executor::resolve(const TypeDef& parent, const FieldDef& field, const json& value,
                               const json& args) {
  if (field.name == "__typename") return json(parent.name);
  if (field.name == "__schema" && &parent == schema_.query_type()) return schema_handle();
  if (field.name == "__type" && &parent == schema_.query_type()) {
    const std::string name =
        args.contains("name") && args["name"].is_string() ? args["name"].get<std::string>() : "";
    if (schema_.type(name) == nullptr) return json(nullptr);
    return named_type_handle(name);
  }
  if (parent.name.rfind("__", 0) == 0) {
    return resolve_introspection(schema_, parent.name, value, field.name, args);
  }
  if (field.binding.kind == BindingKind::view || field.binding.kind == BindingKind::function) {
    if (context_.data_source == nullptr) return make_error("No data source is configured.");
    if (field.binding.kind == BindingKind::view) {
      ViewQuery query{field.binding.name, json::object(), std::nullopt, std::nullopt};
      for (const auto& [name, v] : args.items()) {
        if (name == "limit" && v.is_number_integer()) {
          query.limit = v.get<std::int64_t>();
        } else if (name == "offset" && v.is_number_integer()) {
          query.offset = v.get<std::int64_t>();
        } else if (name != "limit" && name != "offset") {
          query.filters[to_snake_case(name)] = v;
        }
      }
      TypeRef inner = field.type.kind == TypeRefKind::non_null ? *field.type.of_type : field.type;
      if (inner.kind != TypeRefKind::list) query.limit = 1;
      auto rows = context_.data_source->query(query);
      if (!rows || inner.kind == TypeRefKind::list) return rows;
      if (rows->is_array() && !rows->empty()) return json((*rows)[0]);
      return json(nullptr);
    }
    const TypeRef& nullable =
        field.type.kind == TypeRefKind::non_null ? *field.type.of_type : field.type;
    FunctionCall call{field.binding.name, args, field.name, lower_first(named_type(field.type)),
                      nullable.kind == TypeRefKind::list};
    if (args.size() == 1 && args.contains("input")) call.arguments = args["input"];
    return context_.data_source->mutate(call);
  }
  if (!value.is_object()) return json(nullptr);
  auto it = value.find(field.name);
  if (it == value.end()) it = value.find(to_snake_case(field.name));
  return it == value.end() ? json(nullptr) : *it;
}

std::optional<json> Executor::complete_value(const TypeRef& type,
                                             const std::vector<const Field*>& fields,
                                             const json& result, const json& path,
                                             const std::string& parent_field) {
  if (type.kind == TypeRefKind::non_null) {
    auto completed = complete_value(*type.of_type, fields, result, path, parent_field);
    if (completed && completed->is_null()) {
      field_error("Cannot return null for non-nullable field " + parent_field + ".", fields, path);
      return std::nullopt;
    }
    return completed;
  }
  if (result.is_null()) return json(nullptr);
  if (type.kind == TypeRefKind::list) {
    if (!result.is_array()) {
      field_error("Expected Iterable, but did not find one for field \"" + parent_field + "\".",
                  fields, path);
      return std::nullopt;
    }
    json out = json::array();
    for (std::size_t i = 0; i < result.size(); ++i) {
      json item_path = path;
      item_path.push_back(i);
      auto item = complete_value(*type.of_type, fields, result[i], item_path, parent_field);
      if (!item && type.of_type->kind == TypeRefKind::non_null) return std::nullopt;
      out.push_back(item ? std::move(*item) : json(nullptr));
    }
    return out;
  }
  const TypeDef* named = schema_.type(type.named.name.value);
  if (named->is_leaf()) {
    json out;
    if (auto error = serialize_leaf(*named, result, out)) {
      field_error(*error, fields, path);
      return std::nullopt;
    }
    return out;
  }
  const TypeDef* object_type = named;
  if (named->is_abstract()) {
    object_type = nullptr;
    const auto& possible = schema_.possible_types(*named);
    if (result.is_object() && result.contains("__typename") && result["__typename"].is_string()) {
      object_type = schema_.type(result["__typename"].get<std::string>());
    } else if (possible.size() == 1) {
      object_type = schema_.type(possible.front());
    }
    if (object_type == nullptr || !schema_.is_possible_type(*named, object_type->name)) {
      field_error("Abstract type \"" + named->name +
                      "\" must resolve to an Object type at runtime for field \"" + parent_field +
                      "\".",
                  fields, path);
      return std::nullopt;
    }
  }
  FieldGroups groups;
  std::set<std::string> visited;
  for (const Field* f : fields) {
    if (f->selection_set) collect_fields(*object_type, *f->selection_set, groups, visited);
  }
  return execute_fields(*object_type, result, groups, path, false);
}

}  // namespace herald::graphql
