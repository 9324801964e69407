#include "graphql/printer.hpp"

#include <fmt/format.h>

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "graphql/block_string.hpp"

namespace herald::graphql {
namespace {

// open + text + close, by appending: GCC 12 at -O2 misreads `"[" + std::string&&` (an
// insert at the front) as an overlapping memcpy and warns (-Wrestrict).
std::string enclosed(std::string_view open, const std::string& text, std::string_view close) {
  std::string out;
  out.reserve(open.size() + text.size() + close.size());
  out += open;
  out += text;
  out += close;
  return out;
}

template <typename T, typename Fn>
std::string join(const std::vector<T>& items, std::string_view separator, Fn fn) {
  std::string out;
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i != 0) out += separator;
    out += fn(items[i]);
  }
  return out;
}

// Indents every non-empty line after the first; a block string's value is unchanged by
// this, since dedenting removes the common indentation again.
std::string indent_lines(std::string_view text, std::string_view indent) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    out += text[i];
    if (text[i] == '\n' && i + 1 < text.size() && text[i + 1] != '\n') out += indent;
  }
  return out;
}

std::string print_string_literal(std::string_view value, bool block, std::string_view indent) {
  if (block) {
    if (auto text = print_block_string(value)) return indent_lines(*text, indent);
  }
  return print_string(value);
}

std::string type_text(const TypeRef& type) {
  switch (type.kind) {
    case TypeRefKind::named:
      return type.named.name.value;
    case TypeRefKind::list:
      return enclosed("[", type_text(*type.of_type), "]");
    case TypeRefKind::non_null:
      return type_text(*type.of_type) + "!";
  }
  return {};
}

std::string value_text(const Value& value, std::string_view indent = "");

// `indent` is the indentation of the line the value starts on, for block strings.
struct ValueText {
  std::string_view indent;
  std::string operator()(const Variable& v) const { return "$" + v.name.value; }
  std::string operator()(const IntValue& v) const { return v.text; }
  std::string operator()(const FloatValue& v) const { return v.text; }
  std::string operator()(const StringValue& v) const {
    return print_string_literal(v.value, v.block, indent);
  }
  std::string operator()(const BooleanValue& v) const { return v.value ? "true" : "false"; }
  std::string operator()(const NullValue&) const { return "null"; }
  std::string operator()(const EnumValue& v) const { return v.value; }
  std::string operator()(const ListValue& v) const {
    return enclosed(
        "[", join(v.values, ", ", [this](const Value& item) { return value_text(item, indent); }),
        "]");
  }
  std::string operator()(const ObjectValue& v) const {
    return enclosed("{",
                    join(v.fields, ", ",
                         [this](const ObjectField& f) {
                           return f.name.value + ": " + value_text(f.value, indent);
                         }),
                    "}");
  }
};

std::string value_text(const Value& value, std::string_view indent) {
  return std::visit(ValueText{indent}, value.node);
}

std::string arguments_text(const std::vector<Argument>& arguments, std::string_view indent = "") {
  if (arguments.empty()) return {};
  return enclosed("(",
                  join(arguments, ", ",
                       [indent](const Argument& a) {
                         return a.name.value + ": " + value_text(a.value, indent);
                       }),
                  ")");
}

std::string directives_text(const std::vector<Directive>& directives,
                            std::string_view indent = "") {
  std::string out;
  for (const Directive& d : directives)
    out += " @" + d.name.value + arguments_text(d.arguments, indent);
  return out;
}

class Printer {
 public:
  std::string document(const Document& document) {
    std::string out;
    for (const Definition& d : document.definitions) {
      if (!out.empty()) out += "\n\n";
      out += std::visit([this](const auto& def) { return definition(def); }, d);
      first_definition_ = false;
    }
    return out;
  }

 private:
  std::string description(const std::optional<Description>& text, std::string_view indent) {
    if (!text) return {};
    return print_string_literal(text->value, text->block, indent) + "\n" + std::string(indent);
  }

  std::string selection_set(const SelectionSet& set, const std::string& indent) {
    const std::string inner = indent + "  ";
    std::string out = "{\n";
    for (const Selection& selection : set.selections) {
      out += inner;
      out += std::visit([&](const auto& s) { return this->selection(s, inner); }, selection.node);
      out += "\n";
    }
    return out + indent + "}";
  }
  std::string selection(const Field& field, const std::string& indent) {
    std::string out = field.alias ? field.alias->value + ": " : "";
    out += field.name.value + arguments_text(field.arguments, indent) +
           directives_text(field.directives, indent);
    if (field.selection_set) {
      out += ' ';
      out += selection_set(*field.selection_set, indent);
    }
    return out;
  }
  std::string selection(const FragmentSpread& spread, const std::string& indent) {
    return "..." + spread.name.value + directives_text(spread.directives, indent);
  }
  std::string selection(const InlineFragment& fragment, const std::string& indent) {
    std::string out = "...";
    if (fragment.type_condition) out += " on " + fragment.type_condition->name.value;
    return out + directives_text(fragment.directives, indent) + " " +
           selection_set(fragment.selection_set, indent);
  }

  std::string definition(const OperationDefinition& op) {
    // A `{` after another definition could continue it (`extend schema @d {`), so only
    // a leading anonymous query is printed in shorthand.
    const bool shorthand = first_definition_ && op.operation == OperationType::query && !op.name &&
                           !op.description && op.variable_definitions.empty() &&
                           op.directives.empty();
    if (shorthand) return selection_set(op.selection_set, "");
    std::string out = description(op.description, "") + std::string(to_string(op.operation));
    if (op.name) out += " " + op.name->value;
    if (!op.variable_definitions.empty()) {
      out += enclosed("(",
                      join(op.variable_definitions, ", ",
                           [this](const VariableDefinition& v) {
                             std::string text = description(v.description, "");
                             if (v.description) text.back() = ' ';  // keep the list on one line
                             text += "$" + v.variable.name.value + ": " + type_text(v.type);
                             if (v.default_value) text += " = " + value_text(*v.default_value);
                             return text + directives_text(v.directives);
                           }),
                      ")");
    }
    return out + directives_text(op.directives) + " " + selection_set(op.selection_set, "");
  }
  std::string definition(const FragmentDefinition& fragment) {
    return description(fragment.description, "") + "fragment " + fragment.name.value + " on " +
           fragment.type_condition.name.value + directives_text(fragment.directives) + " " +
           selection_set(fragment.selection_set, "");
  }

  template <typename Def>
  std::string head(const Def& def, std::string_view keyword) {
    return (def.is_extension ? "extend " : description(def.description, "")) +
           std::string(keyword) + " " + def.name.value;
  }
  template <typename T, typename Fn>
  std::string block(const std::vector<T>& items, Fn line) {
    if (items.empty()) return {};
    std::string out = " {\n";
    for (const T& item : items) out += "  " + line(item) + "\n";
    return out + "}";
  }
  std::string input_value(const InputValueDefinition& input, std::string_view indent) {
    std::string out =
        description(input.description, indent) + input.name.value + ": " + type_text(input.type);
    if (input.default_value) out += " = " + value_text(*input.default_value);
    return out + directives_text(input.directives);
  }
  // Arguments go one per line when any has a description, else on one line.
  std::string argument_definitions(const std::vector<InputValueDefinition>& args,
                                   const std::string& indent) {
    if (args.empty()) return {};
    bool described = false;
    for (const auto& arg : args) described = described || arg.description.has_value();
    if (!described) {
      return enclosed("(", join(args, ", ", [this](const auto& a) { return input_value(a, ""); }),
                      ")");
    }
    const std::string inner = indent + "  ";
    std::string out = "(\n";
    for (const auto& arg : args) out += inner + input_value(arg, inner) + "\n";
    return out + indent + ")";
  }
  std::string interfaces(const std::vector<NamedType>& types) {
    if (types.empty()) return {};
    return " implements " + join(types, " & ", [](const NamedType& t) { return t.name.value; });
  }
  std::string field_definition(const FieldDefinition& field) {
    return description(field.description, "  ") + field.name.value +
           argument_definitions(field.arguments, "  ") + ": " + type_text(field.type) +
           directives_text(field.directives);
  }

  std::string definition(const SchemaDefinition& schema) {
    std::string out =
        schema.is_extension ? "extend schema" : description(schema.description, "") + "schema";
    return out + directives_text(schema.directives) +
           block(schema.operation_types, [](const OperationTypeDefinition& op) {
             return std::string(to_string(op.operation)) + ": " + op.type.name.value;
           });
  }
  std::string definition(const ScalarTypeDefinition& scalar) {
    return head(scalar, "scalar") + directives_text(scalar.directives);
  }
  std::string definition(const ObjectTypeDefinition& object) {
    return head(object, "type") + interfaces(object.interfaces) +
           directives_text(object.directives) +
           block(object.fields, [this](const auto& f) { return field_definition(f); });
  }
  std::string definition(const InterfaceTypeDefinition& interface) {
    return head(interface, "interface") + interfaces(interface.interfaces) +
           directives_text(interface.directives) +
           block(interface.fields, [this](const auto& f) { return field_definition(f); });
  }
  std::string definition(const UnionTypeDefinition& union_type) {
    std::string out = head(union_type, "union") + directives_text(union_type.directives);
    if (union_type.types.empty()) return out;
    return out + " = " +
           join(union_type.types, " | ", [](const NamedType& t) { return t.name.value; });
  }
  std::string definition(const EnumTypeDefinition& enum_type) {
    return head(enum_type, "enum") + directives_text(enum_type.directives) +
           block(enum_type.values, [this](const EnumValueDefinition& v) {
             return description(v.description, "  ") + v.name.value + directives_text(v.directives);
           });
  }
  std::string definition(const InputObjectTypeDefinition& input) {
    return head(input, "input") + directives_text(input.directives) +
           block(input.fields, [this](const auto& f) { return input_value(f, "  "); });
  }
  std::string definition(const DirectiveDefinition& directive) {
    return description(directive.description, "") + "directive @" + directive.name.value +
           argument_definitions(directive.arguments, "") +
           (directive.repeatable ? " repeatable" : "") + " on " +
           join(directive.locations, " | ", [](const Name& l) { return l.value; });
  }

  bool first_definition_ = true;
};

}  // namespace

std::string print(const Document& document) {
  return Printer().document(document);
}
std::string print(const Value& value) {
  return value_text(value);
}
std::string print(const TypeRef& type) {
  return type_text(type);
}

std::string print_string(std::string_view value) {
  std::string out = "\"";
  for (const char c : value) {
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
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F) {
          out += fmt::format("\\u{:04X}", static_cast<int>(c));
        } else {
          out += c;
        }
    }
  }
  return out + "\"";
}

}  // namespace herald::graphql
