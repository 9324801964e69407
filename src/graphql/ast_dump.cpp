#include "graphql/ast_dump.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <utility>
#include <vector>

namespace herald::graphql {
namespace {

// Collects one node's fields, then writes them in sorted key order.
class NodeText {
 public:
  NodeText(std::string_view kind, SourceLocation loc, const DumpOptions& options) : kind_(kind) {
    if (options.locations) kind_ += fmt::format("@{}:{}", loc.line, loc.column);
  }
  void add(std::string_view key, std::string text) { fields_.emplace_back(key, std::move(text)); }
  void add_list(std::string_view key, const std::vector<std::string>& items) {
    if (items.empty()) return;
    std::string text = "[";
    for (std::size_t i = 0; i < items.size(); ++i) text += (i == 0 ? "" : " ") + items[i];
    add(key, text + "]");
  }
  std::string str() {
    std::sort(fields_.begin(), fields_.end());
    std::string text = "(" + kind_;
    for (const auto& [key, value] : fields_) text += " " + key + "=" + value;
    return text + ")";
  }

 private:
  std::string kind_;
  std::vector<std::pair<std::string, std::string>> fields_;
};

class Dumper {
 public:
  explicit Dumper(const DumpOptions& options) : options_(options) {}

  std::string document(const Document& document) {
    NodeText node("Document", {}, DumpOptions{false});
    node.add_list("definitions", each(document.definitions, [this](const Definition& d) {
                    return std::visit([this](const auto& def) { return definition(def); }, d);
                  }));
    return node.str();
  }

 private:
  template <typename T, typename Fn>
  std::vector<std::string> each(const std::vector<T>& items, Fn fn) {
    std::vector<std::string> texts;
    texts.reserve(items.size());
    for (const T& item : items) texts.push_back(fn(item));
    return texts;
  }
  NodeText node(std::string_view kind, SourceLocation loc) { return NodeText(kind, loc, options_); }

  std::string name(const Name& name) {
    NodeText n = node("Name", name.loc);
    n.add("value", json_quote(name.value));
    return n.str();
  }
  std::string named_type(const NamedType& type) {
    NodeText n = node("NamedType", type.loc);
    n.add("name", name(type.name));
    return n.str();
  }
  std::string description(const Description& text) {
    NodeText n = node("StringValue", text.loc);
    n.add("block", text.block ? "true" : "false");
    n.add("value", json_quote(text.value));
    return n.str();
  }
  void add_description(NodeText& n, const std::optional<Description>& text) {
    if (text) n.add("description", description(*text));
  }
  std::string variable(const Variable& variable) {
    NodeText n = node("Variable", variable.loc);
    n.add("name", name(variable.name));
    return n.str();
  }
  std::string type(const TypeRef& type) {
    if (type.kind == TypeRefKind::named) return named_type(type.named);
    NodeText n = node(type.kind == TypeRefKind::list ? "ListType" : "NonNullType", type.loc);
    n.add("type", this->type(*type.of_type));
    return n.str();
  }

  std::string value(const Value& value) {
    return std::visit([&](const auto& v) { return value_node(value.loc, v); }, value.node);
  }
  std::string value_node(SourceLocation, const Variable& v) { return variable(v); }
  std::string value_node(SourceLocation loc, const IntValue& v) {
    return scalar("IntValue", loc, json_quote(v.text));
  }
  std::string value_node(SourceLocation loc, const FloatValue& v) {
    return scalar("FloatValue", loc, json_quote(v.text));
  }
  std::string value_node(SourceLocation loc, const StringValue& v) {
    NodeText n = node("StringValue", loc);
    n.add("block", v.block ? "true" : "false");
    n.add("value", json_quote(v.value));
    return n.str();
  }
  std::string value_node(SourceLocation loc, const BooleanValue& v) {
    return scalar("BooleanValue", loc, v.value ? "true" : "false");
  }
  std::string value_node(SourceLocation loc, const NullValue&) {
    return node("NullValue", loc).str();
  }
  std::string value_node(SourceLocation loc, const EnumValue& v) {
    return scalar("EnumValue", loc, json_quote(v.value));
  }
  std::string value_node(SourceLocation loc, const ListValue& v) {
    NodeText n = node("ListValue", loc);
    n.add_list("values", each(v.values, [this](const Value& item) { return value(item); }));
    return n.str();
  }
  std::string value_node(SourceLocation loc, const ObjectValue& v) {
    NodeText n = node("ObjectValue", loc);
    n.add_list("fields", each(v.fields, [this](const ObjectField& field) {
                 NodeText f = node("ObjectField", field.loc);
                 f.add("name", name(field.name));
                 f.add("value", value(field.value));
                 return f.str();
               }));
    return n.str();
  }
  std::string scalar(std::string_view kind, SourceLocation loc, std::string text) {
    NodeText n = node(kind, loc);
    n.add("value", std::move(text));
    return n.str();
  }

  std::vector<std::string> arguments(const std::vector<Argument>& arguments) {
    return each(arguments, [this](const Argument& argument) {
      NodeText n = node("Argument", argument.loc);
      n.add("name", name(argument.name));
      n.add("value", value(argument.value));
      return n.str();
    });
  }
  std::vector<std::string> directives(const std::vector<Directive>& directives) {
    return each(directives, [this](const Directive& directive) {
      NodeText n = node("Directive", directive.loc);
      n.add("name", name(directive.name));
      n.add_list("arguments", arguments(directive.arguments));
      return n.str();
    });
  }

  std::string selection_set(const SelectionSet& set) {
    NodeText n = node("SelectionSet", set.loc);
    n.add_list("selections", each(set.selections, [this](const Selection& s) {
                 return std::visit([this](const auto& sel) { return selection(sel); }, s.node);
               }));
    return n.str();
  }
  std::string selection(const Field& field) {
    NodeText n = node("Field", field.loc);
    if (field.alias) n.add("alias", name(*field.alias));
    n.add("name", name(field.name));
    n.add_list("arguments", arguments(field.arguments));
    n.add_list("directives", directives(field.directives));
    if (field.selection_set) n.add("selectionSet", selection_set(*field.selection_set));
    return n.str();
  }
  std::string selection(const FragmentSpread& spread) {
    NodeText n = node("FragmentSpread", spread.loc);
    n.add("name", name(spread.name));
    n.add_list("directives", directives(spread.directives));
    return n.str();
  }
  std::string selection(const InlineFragment& fragment) {
    NodeText n = node("InlineFragment", fragment.loc);
    if (fragment.type_condition) n.add("typeCondition", named_type(*fragment.type_condition));
    n.add_list("directives", directives(fragment.directives));
    n.add("selectionSet", selection_set(fragment.selection_set));
    return n.str();
  }

  std::string definition(const OperationDefinition& op) {
    NodeText n = node("OperationDefinition", op.loc);
    n.add("operation", json_quote(to_string(op.operation)));
    add_description(n, op.description);
    if (op.name) n.add("name", name(*op.name));
    n.add_list("variableDefinitions", each(op.variable_definitions, [this](const auto& v) {
                 NodeText d = node("VariableDefinition", v.loc);
                 add_description(d, v.description);
                 d.add("variable", variable(v.variable));
                 d.add("type", type(v.type));
                 if (v.default_value) d.add("defaultValue", value(*v.default_value));
                 d.add_list("directives", directives(v.directives));
                 return d.str();
               }));
    n.add_list("directives", directives(op.directives));
    n.add("selectionSet", selection_set(op.selection_set));
    return n.str();
  }
  std::string definition(const FragmentDefinition& fragment) {
    NodeText n = node("FragmentDefinition", fragment.loc);
    add_description(n, fragment.description);
    n.add("name", name(fragment.name));
    n.add("typeCondition", named_type(fragment.type_condition));
    n.add_list("directives", directives(fragment.directives));
    n.add("selectionSet", selection_set(fragment.selection_set));
    return n.str();
  }

  // Type-system definitions: see ast_dump_type_system below.
  std::string definition(const SchemaDefinition& schema);
  std::string definition(const ScalarTypeDefinition& scalar);
  std::string definition(const ObjectTypeDefinition& object);
  std::string definition(const InterfaceTypeDefinition& interface);
  std::string definition(const UnionTypeDefinition& union_type);
  std::string definition(const EnumTypeDefinition& enum_type);
  std::string definition(const InputObjectTypeDefinition& input);
  std::string definition(const DirectiveDefinition& directive);
  std::vector<std::string> input_values(const std::vector<InputValueDefinition>& inputs);
  std::vector<std::string> fields(const std::vector<FieldDefinition>& fields);
  std::vector<std::string> named_types(const std::vector<NamedType>& types) {
    return each(types, [this](const NamedType& t) { return named_type(t); });
  }
  template <typename Def>
  NodeText type_node(std::string_view kind, const Def& def) {
    NodeText n =
        node(fmt::format("{}{}", kind, def.is_extension ? "Extension" : "Definition"), def.loc);
    add_description(n, def.description);
    return n;
  }

  DumpOptions options_;
};

std::string Dumper::definition(const SchemaDefinition& schema) {
  NodeText n = type_node("Schema", schema);
  n.add_list("directives", directives(schema.directives));
  n.add_list("operationTypes", each(schema.operation_types, [this](const auto& op) {
               NodeText o = node("OperationTypeDefinition", op.loc);
               o.add("operation", json_quote(to_string(op.operation)));
               o.add("type", named_type(op.type));
               return o.str();
             }));
  return n.str();
}
std::string Dumper::definition(const ScalarTypeDefinition& scalar) {
  NodeText n = type_node("ScalarType", scalar);
  n.add("name", name(scalar.name));
  n.add_list("directives", directives(scalar.directives));
  return n.str();
}
std::string Dumper::definition(const ObjectTypeDefinition& object) {
  NodeText n = type_node("ObjectType", object);
  n.add("name", name(object.name));
  n.add_list("interfaces", named_types(object.interfaces));
  n.add_list("directives", directives(object.directives));
  n.add_list("fields", fields(object.fields));
  return n.str();
}
std::string Dumper::definition(const InterfaceTypeDefinition& interface) {
  NodeText n = type_node("InterfaceType", interface);
  n.add("name", name(interface.name));
  n.add_list("interfaces", named_types(interface.interfaces));
  n.add_list("directives", directives(interface.directives));
  n.add_list("fields", fields(interface.fields));
  return n.str();
}
std::string Dumper::definition(const UnionTypeDefinition& union_type) {
  NodeText n = type_node("UnionType", union_type);
  n.add("name", name(union_type.name));
  n.add_list("directives", directives(union_type.directives));
  n.add_list("types", named_types(union_type.types));
  return n.str();
}
std::string Dumper::definition(const EnumTypeDefinition& enum_type) {
  NodeText n = type_node("EnumType", enum_type);
  n.add("name", name(enum_type.name));
  n.add_list("directives", directives(enum_type.directives));
  n.add_list("values", each(enum_type.values, [this](const EnumValueDefinition& v) {
               NodeText e = node("EnumValueDefinition", v.loc);
               add_description(e, v.description);
               e.add("name", name(v.name));
               e.add_list("directives", directives(v.directives));
               return e.str();
             }));
  return n.str();
}
std::string Dumper::definition(const InputObjectTypeDefinition& input) {
  NodeText n = type_node("InputObjectType", input);
  n.add("name", name(input.name));
  n.add_list("directives", directives(input.directives));
  n.add_list("fields", input_values(input.fields));
  return n.str();
}
std::string Dumper::definition(const DirectiveDefinition& directive) {
  NodeText n = node("DirectiveDefinition", directive.loc);
  add_description(n, directive.description);
  n.add("name", name(directive.name));
  n.add_list("arguments", input_values(directive.arguments));
  n.add("repeatable", directive.repeatable ? "true" : "false");
  n.add_list("locations", each(directive.locations, [this](const Name& l) { return name(l); }));
  return n.str();
}
std::vector<std::string> Dumper::input_values(const std::vector<InputValueDefinition>& inputs) {
  return each(inputs, [this](const InputValueDefinition& input) {
    NodeText n = node("InputValueDefinition", input.loc);
    add_description(n, input.description);
    n.add("name", name(input.name));
    n.add("type", type(input.type));
    if (input.default_value) n.add("defaultValue", value(*input.default_value));
    n.add_list("directives", directives(input.directives));
    return n.str();
  });
}
std::vector<std::string> Dumper::fields(const std::vector<FieldDefinition>& fields) {
  return each(fields, [this](const FieldDefinition& field) {
    NodeText n = node("FieldDefinition", field.loc);
    add_description(n, field.description);
    n.add("name", name(field.name));
    n.add_list("arguments", input_values(field.arguments));
    n.add("type", type(field.type));
    n.add_list("directives", directives(field.directives));
    return n.str();
  });
}

}  // namespace

std::string dump(const Document& document, const DumpOptions& options) {
  return Dumper(options).document(document);
}

std::string json_quote(std::string_view text) {
  std::string out = "\"";
  for (const char c : text) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\f':
        out += "\\f";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          out += fmt::format("\\u{:04x}", static_cast<int>(c));
        } else {
          out += c;
        }
    }
  }
  return out + "\"";
}

}  // namespace herald::graphql
