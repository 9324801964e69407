// SDL -> Schema: collects type definitions and extensions, checks references, decodes
// @deprecated, @specifiedBy and herald's binding directives.
#include <algorithm>
#include <set>

#include "graphql/parser.hpp"
#include "graphql/schema.hpp"
#include "graphql/schema_bindings.hpp"
#include "graphql/schema_prelude.hpp"
#include "graphql/schema_rules.hpp"

namespace herald::graphql {

namespace {

std::optional<std::string> description_of(const std::optional<Description>& d) {
  if (!d) return std::nullopt;
  return d->value;
}

const Argument* find_argument(const Directive& directive, std::string_view name) {
  for (const auto& a : directive.arguments) {
    if (a.name.value == name) return &a;
  }
  return nullptr;
}

std::optional<std::string> string_argument(const Directive& directive, std::string_view name) {
  const Argument* a = find_argument(directive, name);
  if (a == nullptr) return std::nullopt;
  if (const auto* s = std::get_if<StringValue>(&a->value.node)) return s->value;
  return std::nullopt;
}

bool is_herald_directive(std::string_view name) {
  return name == "table" || name == "view" || name == "function" || name == "subscribe";
}

const Directive* find_directive(const std::vector<Directive>& directives, std::string_view name) {
  for (const auto& d : directives) {
    if (d.name.value == name) return &d;
  }
  return nullptr;
}

std::optional<std::string> deprecation_of(const std::vector<Directive>& directives) {
  const Directive* d = find_directive(directives, "deprecated");
  if (d == nullptr) return std::nullopt;
  return string_argument(*d, "reason").value_or("No longer supported");
}

}  // namespace

class SchemaBuilder {
 public:
  SchemaBuild build(const Document& prelude, const Document& user) {
    collect(prelude, true);
    collect(user, false);
    if (errors_.empty()) check();
    if (errors_.empty()) check_schema_rules(schema_, errors_);
    if (errors_.empty()) schema_.introspection_types_ = referenced_types(schema_);
    SchemaBuild out;
    out.errors = std::move(errors_);
    if (out.errors.empty()) out.schema = std::make_shared<const Schema>(std::move(schema_));
    return out;
  }

 private:
  void error(std::string message, SourceLocation loc) {
    errors_.push_back(GraphQLError{std::move(message), {loc}, nullptr});
  }

  TypeDef* find(const std::string& name) {
    auto it = schema_.type_index_.find(name);
    return it == schema_.type_index_.end() ? nullptr : &schema_.types_[it->second];
  }

  void collect(const Document& document, bool builtin) {
    std::vector<const Definition*> extensions;
    for (const auto& definition : document.definitions) {
      std::visit(
          [&](const auto& def) {
            using T = std::decay_t<decltype(def)>;
            if constexpr (std::is_same_v<T, OperationDefinition> ||
                          std::is_same_v<T, FragmentDefinition>) {
              error("Executable definitions are not allowed in a schema document.", def.loc);
            } else if constexpr (std::is_same_v<T, SchemaDefinition>) {
              if (def.is_extension || schema_defined_) {
                if (!def.is_extension) error("Must provide only one schema definition.", def.loc);
              }
              schema_defined_ = schema_defined_ || !def.is_extension;
              if (!def.is_extension) schema_.description = description_of(def.description);
              for (const auto& op : def.operation_types) {
                root_for(op.operation) = op.type.name.value;
                root_locs_.push_back(op.type);
              }
            } else if constexpr (std::is_same_v<T, DirectiveDefinition>) {
              add_directive(def, builtin);
            } else if (def.is_extension) {
              extensions.push_back(&definition);
            } else {
              add_type(def, builtin);
            }
          },
          definition);
    }
    for (const Definition* ext : extensions) {
      std::visit(
          [&](const auto& def) {
            using T = std::decay_t<decltype(def)>;
            if constexpr (!std::is_same_v<T, OperationDefinition> &&
                          !std::is_same_v<T, FragmentDefinition> &&
                          !std::is_same_v<T, SchemaDefinition> &&
                          !std::is_same_v<T, DirectiveDefinition>) {
              TypeDef* type = find(def.name.value);
              if (type == nullptr) {
                error("Cannot extend type \"" + def.name.value + "\" because it is not defined.",
                      def.name.loc);
              } else {
                extend(*type, def);
              }
            }
          },
          *ext);
    }
  }

  std::string& root_for(OperationType op) {
    switch (op) {
      case OperationType::query:
        return schema_.query_;
      case OperationType::mutation:
        return schema_.mutation_;
      case OperationType::subscription:
        return schema_.subscription_;
    }
    return schema_.query_;
  }

  InputValueDef input_value(const InputValueDefinition& def) {
    directive_uses_.push_back({&def.directives, "ARGUMENT_DEFINITION"});
    return InputValueDef{def.name.value,    description_of(def.description), def.type,
                         def.default_value, deprecation_of(def.directives),  def.loc};
  }

  std::vector<InputValueDef> input_values(const std::vector<InputValueDefinition>& defs,
                                          const std::string& owner, const char* location) {
    std::vector<InputValueDef> out;
    std::set<std::string> seen;
    for (const auto& d : defs) {
      if (!seen.insert(d.name.value).second) {
        error("Argument \"" + owner + "(" + d.name.value + ":)\" can only be defined once.",
              d.name.loc);
        continue;
      }
      out.push_back(input_value(d));
      directive_uses_.back().second = location;
    }
    return out;
  }

  void add_directive(const DirectiveDefinition& def, bool builtin) {
    const DirectiveDef* existing = schema_.directive(def.name.value);
    if (existing != nullptr && existing->builtin && is_herald_directive(def.name.value)) {
      return;  // a schema written to declare herald's directives itself: ours stands
    }
    if (existing != nullptr) {
      error(existing->builtin
                ? "Directive \"@" + def.name.value +
                      "\" already exists in the schema. It cannot be redefined."
                : "There can be only one directive named \"@" + def.name.value + "\".",
            def.name.loc);
      return;
    }
    DirectiveDef d;
    d.name = def.name.value;
    d.description = description_of(def.description);
    d.arguments = input_values(def.arguments, "@" + def.name.value, "ARGUMENT_DEFINITION");
    d.repeatable = def.repeatable;
    for (const auto& l : def.locations) d.locations.push_back(l.value);
    d.builtin = builtin;
    schema_.directives_.push_back(std::move(d));
  }

  template <typename Def>
  void add_type(const Def& def, bool builtin) {
    if (!builtin && def.name.value.rfind("__", 0) == 0) {
      error("Name \"" + def.name.value +
                "\" must not begin with \"__\", which is reserved by GraphQL introspection.",
            def.name.loc);
      return;
    }
    if (find(def.name.value) != nullptr) {
      error("There can be only one type named \"" + def.name.value + "\".", def.name.loc);
      return;
    }
    TypeDef type;
    type.name = def.name.value;
    type.description = description_of(def.description);
    type.loc = def.loc;
    using T = std::decay_t<Def>;
    if constexpr (std::is_same_v<T, ScalarTypeDefinition>) type.kind = TypeKind::scalar;
    if constexpr (std::is_same_v<T, ObjectTypeDefinition>) type.kind = TypeKind::object;
    if constexpr (std::is_same_v<T, InterfaceTypeDefinition>) type.kind = TypeKind::interface_type;
    if constexpr (std::is_same_v<T, UnionTypeDefinition>) type.kind = TypeKind::union_type;
    if constexpr (std::is_same_v<T, EnumTypeDefinition>) type.kind = TypeKind::enum_type;
    if constexpr (std::is_same_v<T, InputObjectTypeDefinition>) type.kind = TypeKind::input_object;
    schema_.type_index_[type.name] = schema_.types_.size();
    schema_.types_.push_back(std::move(type));
    extend(schema_.types_.back(), def);
  }

  template <typename Def>
  void extend(TypeDef& type, const Def& def) {
    using T = std::decay_t<Def>;
    const char* kind_location = "SCALAR";
    if constexpr (std::is_same_v<T, ScalarTypeDefinition>) {
      if (const Directive* d = find_directive(def.directives, "specifiedBy")) {
        type.specified_by_url = string_argument(*d, "url");
      }
    }
    if constexpr (std::is_same_v<T, ObjectTypeDefinition> ||
                  std::is_same_v<T, InterfaceTypeDefinition>) {
      kind_location = std::is_same_v<T, ObjectTypeDefinition> ? "OBJECT" : "INTERFACE";
      for (const auto& i : def.interfaces) {
        type.interfaces.push_back(i.name.value);
        references_.push_back(i);
      }
      for (const auto& f : def.fields) {
        if (type.field(f.name.value) != nullptr) {
          error("Field \"" + type.name + "." + f.name.value + "\" can only be defined once.",
                f.name.loc);
          continue;
        }
        FieldDef field;
        field.name = f.name.value;
        field.description = description_of(f.description);
        field.arguments =
            input_values(f.arguments, type.name + "." + f.name.value, "ARGUMENT_DEFINITION");
        field.type = f.type;
        field.deprecation_reason = deprecation_of(f.directives);
        field.loc = f.loc;
        field_directives_.push_back({type.name, field.name, &f.directives});
        directive_uses_.push_back({&f.directives, "FIELD_DEFINITION"});
        type.fields.push_back(std::move(field));
      }
      if constexpr (std::is_same_v<T, ObjectTypeDefinition>) {
        if (const Directive* d = find_directive(def.directives, "table")) {
          type.table = string_argument(*d, "name");
        }
      }
    }
    if constexpr (std::is_same_v<T, UnionTypeDefinition>) {
      kind_location = "UNION";
      for (const auto& m : def.types) {
        type.members.push_back(m.name.value);
        references_.push_back(m);
      }
    }
    if constexpr (std::is_same_v<T, EnumTypeDefinition>) {
      kind_location = "ENUM";
      for (const auto& v : def.values) {
        if (type.enum_value(v.name.value) != nullptr) {
          error("Enum value \"" + type.name + "." + v.name.value + "\" can only be defined once.",
                v.name.loc);
          continue;
        }
        directive_uses_.push_back({&v.directives, "ENUM_VALUE"});
        type.enum_values.push_back(EnumValueDef{v.name.value, description_of(v.description),
                                                deprecation_of(v.directives)});
      }
    }
    if constexpr (std::is_same_v<T, InputObjectTypeDefinition>) {
      kind_location = "INPUT_OBJECT";
      type.one_of = type.one_of || find_directive(def.directives, "oneOf") != nullptr;
      for (const auto& f : def.fields) {
        if (type.input_field(f.name.value) != nullptr) {
          error("Field \"" + type.name + "." + f.name.value + "\" can only be defined once.",
                f.name.loc);
          continue;
        }
        type.input_fields.push_back(input_value(f));
        directive_uses_.back().second = "INPUT_FIELD_DEFINITION";
      }
    }
    directive_uses_.push_back({&def.directives, kind_location});
  }

  void check_type_ref(const TypeRef& ref, bool want_input, const std::string& where) {
    const std::string& name = named_type(ref);
    const TypeDef* t = find(name);
    const TypeRef* r = &ref;
    while (r->kind != TypeRefKind::named) r = &*r->of_type;
    if (t == nullptr) {
      error("Unknown type \"" + name + "\".", r->named.loc);
    } else if (want_input && !t->is_input()) {
      error("The type of " + where + " must be Input Type but got: " + print_type(ref) + ".",
            r->named.loc);
    } else if (!want_input && t->kind == TypeKind::input_object) {
      error("The type of " + where + " must be Output Type but got: " + print_type(ref) + ".",
            r->named.loc);
    }
  }

  void check() {
    for (const auto& ref : references_) {
      if (find(ref.name.value) == nullptr)
        error("Unknown type \"" + ref.name.value + "\".", ref.loc);
    }
    for (const auto& ref : root_locs_) {
      if (find(ref.name.value) == nullptr)
        error("Unknown type \"" + ref.name.value + "\".", ref.loc);
    }
    if (!schema_defined_) {
      for (auto [op, name] : {std::pair{OperationType::query, "Query"},
                              std::pair{OperationType::mutation, "Mutation"},
                              std::pair{OperationType::subscription, "Subscription"}}) {
        if (find(name) != nullptr) root_for(op) = name;
      }
    }
    for (auto& type : schema_.types_) check_type(type);
    for (const auto& d : schema_.directives_) {
      for (const auto& a : d.arguments)
        check_type_ref(a.type, true, "@" + d.name + "(" + a.name + ":)");
    }
    for (const auto& [directives, location] : directive_uses_)
      check_directives(*directives, location);
    if (errors_.empty()) bind_fields();
    if (schema_.query_.empty() && errors_.empty()) {
      error("Query root type must be provided.", SourceLocation{});
    }
  }

  void check_type(TypeDef& type) {
    for (const auto& f : type.fields) {
      check_type_ref(f.type, false, type.name + "." + f.name);
      for (const auto& a : f.arguments) {
        check_type_ref(a.type, true, type.name + "." + f.name + "(" + a.name + ":)");
      }
    }
    for (const auto& f : type.input_fields) check_type_ref(f.type, true, type.name + "." + f.name);
    for (const auto& i : type.interfaces) {
      const TypeDef* iface = find(i);
      if (iface == nullptr) continue;
      if (iface->kind != TypeKind::interface_type) {
        error("Type " + type.name + " must only implement Interface types, it cannot implement " +
                  i + ".",
              type.loc);
        continue;
      }
      for (const auto& f : iface->fields) {
        if (type.field(f.name) == nullptr) {
          error("Interface field " + i + "." + f.name + " expected but " + type.name +
                    " does not provide it.",
                type.loc);
        }
      }
      if (type.kind == TypeKind::object) schema_.possible_[i].push_back(type.name);
    }
    if (type.kind == TypeKind::union_type) {
      for (const auto& m : type.members) {
        const TypeDef* member = find(m);
        if (member != nullptr && member->kind != TypeKind::object) {
          error("Union type " + type.name + " can only include Object types, it cannot include " +
                    m + ".",
                type.loc);
        }
        schema_.possible_[type.name].push_back(m);
      }
    }
    if (type.kind == TypeKind::object) schema_.possible_[type.name].push_back(type.name);
  }

  void check_directives(const std::vector<Directive>& directives, const char* location) {
    std::set<std::string> seen;
    for (const auto& d : directives) {
      const DirectiveDef* def = schema_.directive(d.name.value);
      if (def == nullptr) {
        error("Unknown directive \"@" + d.name.value + "\".", d.loc);
        continue;
      }
      if (!def->allows(location)) {
        error("Directive \"@" + d.name.value + "\" may not be used on " + location + ".", d.loc);
      }
      if (!def->repeatable && !seen.insert(d.name.value).second) {
        error("The directive \"@" + d.name.value + "\" can only be used once at this location.",
              d.loc);
      }
      for (const auto& a : def->arguments) {
        if (a.type.kind == TypeRefKind::non_null && !a.default_value &&
            find_argument(d, a.name) == nullptr) {
          error("Directive \"@" + d.name.value + "\" argument \"" + a.name + "\" of type \"" +
                    print_type(a.type) + "\" is required, but it was not provided.",
                d.loc);
        }
      }
    }
  }

  // Decodes @view / @function / @subscribe into Binding, checking where they may appear.
  void bind_fields() {
    const BindingRoots roots{schema_.query_, schema_.mutation_, schema_.subscription_};
    auto lookup = [this](const std::string& name) -> const TypeDef* { return find(name); };
    for (const auto& [type_name, field_name, directives] : field_directives_) {
      TypeDef* type = find(type_name);
      if (type == nullptr) continue;  // recorded from a type definition, so never here
      for (auto& field : type->fields) {
        if (field.name != field_name) continue;
        for (const auto& d : *directives) {
          decode_binding(type->name, field, d, roots, lookup, errors_);
        }
      }
    }
  }

  struct FieldDirectives {
    std::string type;
    std::string field;
    const std::vector<Directive>* directives;
  };

  Schema schema_;
  std::vector<GraphQLError> errors_;
  bool schema_defined_ = false;
  std::vector<NamedType> references_;
  std::vector<NamedType> root_locs_;
  std::vector<std::pair<const std::vector<Directive>*, const char*>> directive_uses_;
  std::vector<FieldDirectives> field_directives_;
};

SchemaBuild build_schema(const Document& document) {
  static const Document prelude = parse(kSchemaPrelude).value();
  return SchemaBuilder().build(prelude, document);
}

SchemaBuild build_schema(std::string_view sdl) {
  auto document = parse(sdl);
  if (!document) {
    SchemaBuild out;
    out.errors.push_back(
        GraphQLError{document.error().message, {document.error().location}, nullptr});
    return out;
  }
  return build_schema(*document);
}

}  // namespace herald::graphql
