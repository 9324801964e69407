// The checks graphql-js's validateSchema makes on a built schema: root types are object
// types, types are not empty, no "__" names, and objects and interfaces implement
// their interfaces' fields with compatible types and arguments.
#include "graphql/schema_rules.hpp"

#include <algorithm>

namespace herald::graphql {

namespace {

// Output-type covariance (spec IsValidImplementationFieldType).
bool is_valid_field_type(const Schema& schema, const TypeRef& field, const TypeRef& iface) {
  if (field.kind == TypeRefKind::non_null) {
    return is_valid_field_type(schema, *field.of_type,
                               iface.kind == TypeRefKind::non_null ? *iface.of_type : iface);
  }
  if (iface.kind == TypeRefKind::non_null) return false;
  if (field.kind == TypeRefKind::list || iface.kind == TypeRefKind::list) {
    return field.kind == iface.kind && is_valid_field_type(schema, *field.of_type, *iface.of_type);
  }
  if (field.named.name.value == iface.named.name.value) return true;
  const TypeDef* super = schema.type(iface.named.name.value);
  const TypeDef* sub = schema.type(field.named.name.value);
  return super != nullptr && sub != nullptr && super->is_abstract() &&
         schema.is_subtype(*super, *sub);
}

class SchemaRules {
 public:
  SchemaRules(const Schema& schema, std::vector<GraphQLError>& errors)
      : schema_(schema), errors_(errors) {}

  void run() {
    roots();
    for (const TypeDef& type : schema_.types()) {
      if (type.name.rfind("__", 0) == 0) continue;  // introspection types
      not_empty(type);
      for (const FieldDef& field : type.fields) {
        if (field.name.rfind("__", 0) == 0) {
          error("Name \"" + field.name +
                    "\" must not begin with \"__\", which is reserved by GraphQL introspection.",
                field.loc);
        }
      }
      for (const auto& iface_name : type.interfaces) {
        const TypeDef* iface = schema_.type(iface_name);
        if (iface != nullptr && iface->kind == TypeKind::interface_type) implements(type, *iface);
      }
    }
  }

 private:
  void error(std::string message, SourceLocation loc) {
    errors_.push_back(GraphQLError{std::move(message), {loc}, nullptr});
  }

  void roots() {
    const TypeDef* query = schema_.query_type();
    if (query != nullptr && query->kind != TypeKind::object) {
      error("Query root type must be Object type, it cannot be " + query->name + ".", query->loc);
    }
    for (auto [label, root] : {std::pair{"Mutation", schema_.mutation_type()},
                               std::pair{"Subscription", schema_.subscription_type()}}) {
      if (root != nullptr && root->kind != TypeKind::object) {
        error(std::string(label) + " root type must be Object type if provided, it cannot be " +
                  root->name + ".",
              root->loc);
      }
    }
  }

  void not_empty(const TypeDef& type) {
    if ((type.kind == TypeKind::object || type.kind == TypeKind::interface_type) &&
        type.fields.empty()) {
      error("Type " + type.name + " must define one or more fields.", type.loc);
    } else if (type.kind == TypeKind::enum_type && type.enum_values.empty()) {
      error("Enum type " + type.name + " must define one or more values.", type.loc);
    } else if (type.kind == TypeKind::union_type && type.members.empty()) {
      error("Union type " + type.name + " must define one or more member types.", type.loc);
    } else if (type.kind == TypeKind::input_object && type.input_fields.empty()) {
      error("Input Object type " + type.name + " must define one or more fields.", type.loc);
    }
  }

  void implements(const TypeDef& type, const TypeDef& iface) {
    for (const FieldDef& expected : iface.fields) {
      const FieldDef* field = type.field(expected.name);
      if (field == nullptr) continue;  // reported by the builder
      const std::string where = iface.name + "." + expected.name;
      const std::string here = type.name + "." + field->name;
      if (!is_valid_field_type(schema_, field->type, expected.type)) {
        error("Interface field " + where + " expects type " + print_type(expected.type) + " but " +
                  here + " is type " + print_type(field->type) + ".",
              field->loc);
      }
      for (const InputValueDef& arg : expected.arguments) {
        const InputValueDef* given = field->argument(arg.name);
        if (given == nullptr) {
          error("Interface field argument " + where + "(" + arg.name + ":) expected but " + here +
                    " does not provide it.",
                field->loc);
        } else if (!same_type(given->type, arg.type)) {
          error("Interface field argument " + where + "(" + arg.name + ":) expects type " +
                    print_type(arg.type) + " but " + here + "(" + arg.name + ":) is type " +
                    print_type(given->type) + ".",
                given->loc);
        }
      }
      for (const InputValueDef& arg : field->arguments) {
        if (expected.argument(arg.name) == nullptr && arg.type.kind == TypeRefKind::non_null &&
            !arg.default_value) {
          error("Object field " + here + " includes required argument " + arg.name +
                    " that is missing from the Interface field " + where + ".",
                arg.loc);
        }
      }
    }
  }

  const Schema& schema_;
  std::vector<GraphQLError>& errors_;
};

bool is_prelude_type(const std::string& name) {
  return name.rfind("__", 0) == 0 || name == "Int" || name == "Float" || name == "String" ||
         name == "Boolean" || name == "ID" || name == "HeraldOperation";
}

class TypeCollector {
 public:
  explicit TypeCollector(const Schema& schema) : schema_(schema) {}

  void collect(const std::string& name) {
    if (std::find(order_.begin(), order_.end(), name) != order_.end()) return;
    const TypeDef* type = schema_.type(name);
    if (type == nullptr) return;
    order_.push_back(name);
    for (const auto& member : type->members) collect(member);
    for (const auto& iface : type->interfaces) collect(iface);
    for (const auto& field : type->fields) {
      collect(named_type(field.type));
      for (const auto& arg : field.arguments) collect(named_type(arg.type));
    }
    for (const auto& field : type->input_fields) collect(named_type(field.type));
  }

  // graphql-js starts from a set of every defined type and, for each in turn, removes it
  // and collects it again: defined types keep their order, each followed by the types
  // it brings in that are not defined ones.
  std::vector<std::string> run() {
    std::vector<std::string> defined;
    for (const auto& t : schema_.types()) {
      if (!is_prelude_type(t.name)) defined.push_back(t.name);
    }
    defined.push_back("HeraldOperation");
    order_ = defined;
    for (const auto& name : defined) {
      order_.erase(std::find(order_.begin(), order_.end(), name));
      collect(name);
    }
    for (const auto& d : schema_.directives()) {
      for (const auto& arg : d.arguments) collect(named_type(arg.type));
    }
    collect("__Schema");
    return order_;
  }

 private:
  const Schema& schema_;
  std::vector<std::string> order_;
};

}  // namespace

std::vector<std::string> referenced_types(const Schema& schema) {
  return TypeCollector(schema).run();
}

void check_schema_rules(const Schema& schema, std::vector<GraphQLError>& errors) {
  SchemaRules(schema, errors).run();
}

}  // namespace herald::graphql
