#include "graphql/schema_bindings.hpp"

namespace herald::graphql {

namespace {

const Argument* find_argument(const Directive& directive, std::string_view name) {
  for (const auto& a : directive.arguments) {
    if (a.name.value == name) return &a;
  }
  return nullptr;
}

std::string string_argument(const Directive& directive, std::string_view name) {
  const Argument* a = find_argument(directive, name);
  if (a == nullptr) return {};
  const auto* s = std::get_if<StringValue>(&a->value.node);
  return s == nullptr ? std::string() : s->value;
}

}  // namespace

void decode_binding(const std::string& type_name, FieldDef& field, const Directive& d,
                    const BindingRoots& roots,
                    const std::function<const TypeDef*(const std::string&)>& lookup,
                    std::vector<GraphQLError>& errors) {
  auto error = [&](std::string message, SourceLocation loc) {
    errors.push_back(GraphQLError{std::move(message), {loc}, nullptr});
  };
  const std::string& n = d.name.value;
  if (n != "view" && n != "function" && n != "subscribe") return;
  const std::string& expected = n == "view"       ? roots.query
                                : n == "function" ? roots.mutation
                                                  : roots.subscription;
  if (type_name != expected) {
    error("Directive \"@" + n + "\" belongs on a field of the " +
              (n == "view"       ? "Query"
               : n == "function" ? "Mutation"
                                 : "Subscription") +
              " type, not on " + type_name + "." + field.name + ".",
          d.loc);
    return;
  }
  if (n == "view" || n == "function") {
    field.binding.kind = n == "view" ? BindingKind::view : BindingKind::function;
    field.binding.name = string_argument(d, "name");
    return;
  }
  field.binding.kind = BindingKind::subscribe;
  field.binding.entity = string_argument(d, "entity");
  const TypeDef* entity = lookup(field.binding.entity);
  if (entity == nullptr || !entity->table) {
    error("@subscribe(entity: \"" + field.binding.entity + "\") on " + type_name + "." +
              field.name + " must name an object type with @table.",
          d.loc);
    return;
  }
  field.binding.table = *entity->table;
  const Argument* op = find_argument(d, "operation");
  if (op == nullptr) return;
  auto add = [&](const Value& v) {
    if (const auto* e = std::get_if<EnumValue>(&v.node)) {
      field.binding.operations.push_back(e->value);
    } else {
      error("@subscribe(operation:) takes INSERT, UPDATE, DELETE or a list of them.", v.loc);
    }
  };
  if (const auto* list = std::get_if<ListValue>(&op->value.node)) {
    for (const auto& v : list->values) add(v);
  } else {
    add(op->value);
  }
}

}  // namespace herald::graphql
