// AST shapes and locations for every kind of definition.
#include <gtest/gtest.h>

#include "graphql/parser.hpp"

namespace herald::graphql {
namespace {

Document parse_ok(std::string_view source) {
  auto document = parse(source);
  EXPECT_TRUE(document) << (document ? "" : document.error().message);
  return document ? std::move(document).value() : Document{};
}

template <typename T>
const T& only_definition(const Document& document) {
  EXPECT_EQ(document.definitions.size(), 1U);
  return std::get<T>(document.definitions.at(0));
}

const Field& field_at(const SelectionSet& set, std::size_t i) {
  return std::get<Field>(set.selections.at(i).node);
}

TEST(GraphqlParser, ShorthandQueryIsAnAnonymousQuery) {
  const Document document = parse_ok("{ a }");
  const auto& op = only_definition<OperationDefinition>(document);
  EXPECT_EQ(op.operation, OperationType::query);
  EXPECT_FALSE(op.name.has_value());
  EXPECT_TRUE(op.variable_definitions.empty());
  EXPECT_EQ(op.loc, (SourceLocation{1, 1}));
  EXPECT_EQ(field_at(op.selection_set, 0).name.value, "a");
  EXPECT_EQ(field_at(op.selection_set, 0).loc, (SourceLocation{1, 3}));
}

TEST(GraphqlParser, ParsesOperationsWithVariablesAndDirectives) {
  const Document document = parse_ok(
      "mutation Place($id: ID!, $tags: [String!] = [\"a\"] @v, $o: In = {x: 1}) @m {\n"
      "  r: place(id: $id, n: 1.5) @include(if: true) { ok }\n"
      "}");
  const auto& op = only_definition<OperationDefinition>(document);
  EXPECT_EQ(op.operation, OperationType::mutation);
  EXPECT_EQ(op.name->value, "Place");
  ASSERT_EQ(op.variable_definitions.size(), 3U);

  const VariableDefinition& id = op.variable_definitions[0];
  EXPECT_EQ(id.variable.name.value, "id");
  EXPECT_EQ(id.loc, (SourceLocation{1, 16}));
  EXPECT_EQ(id.type.kind, TypeRefKind::non_null);
  EXPECT_EQ(id.type.of_type->named.name.value, "ID");

  const VariableDefinition& tags = op.variable_definitions[1];
  EXPECT_EQ(tags.type.kind, TypeRefKind::list);
  EXPECT_EQ(tags.type.of_type->kind, TypeRefKind::non_null);
  ASSERT_TRUE(tags.default_value.has_value());
  const auto& list = std::get<ListValue>(tags.default_value->node);
  EXPECT_EQ(std::get<StringValue>(list.values.at(0).node).value, "a");
  EXPECT_EQ(tags.directives.at(0).name.value, "v");

  const auto& object = std::get<ObjectValue>(op.variable_definitions[2].default_value->node);
  EXPECT_EQ(object.fields.at(0).name.value, "x");
  EXPECT_EQ(std::get<IntValue>(object.fields.at(0).value.node).text, "1");

  EXPECT_EQ(op.directives.at(0).name.value, "m");
  const Field& field = field_at(op.selection_set, 0);
  EXPECT_EQ(field.alias->value, "r");
  EXPECT_EQ(field.name.value, "place");
  EXPECT_EQ(field.response_key(), "r");
  EXPECT_EQ(field.loc, (SourceLocation{2, 3}));
  ASSERT_EQ(field.arguments.size(), 2U);
  EXPECT_EQ(std::get<Variable>(field.arguments[0].value.node).name.value, "id");
  EXPECT_EQ(std::get<FloatValue>(field.arguments[1].value.node).text, "1.5");
  EXPECT_EQ(field.arguments[1].value.loc, (SourceLocation{2, 24}));
  EXPECT_EQ(field.directives.at(0).loc, (SourceLocation{2, 29}));
  EXPECT_TRUE(std::get<BooleanValue>(field.directives[0].arguments.at(0).value.node).value);
  EXPECT_EQ(field_at(*field.selection_set, 0).name.value, "ok");
}

TEST(GraphqlParser, ParsesEveryKindOfValue) {
  const Document document = parse_ok(
      "{ f(a: 1, b: -2.5e3, c: \"s\", d: \"\"\"b\"\"\", e: false, f: null, g: RED, "
      "h: [], i: {}, j: $v) }");
  const Field& f = field_at(only_definition<OperationDefinition>(document).selection_set, 0);
  ASSERT_EQ(f.arguments.size(), 10U);
  EXPECT_EQ(std::get<IntValue>(f.arguments[0].value.node).text, "1");
  EXPECT_EQ(std::get<FloatValue>(f.arguments[1].value.node).text, "-2.5e3");
  EXPECT_FALSE(std::get<StringValue>(f.arguments[2].value.node).block);
  EXPECT_TRUE(std::get<StringValue>(f.arguments[3].value.node).block);
  EXPECT_FALSE(std::get<BooleanValue>(f.arguments[4].value.node).value);
  EXPECT_TRUE(std::holds_alternative<NullValue>(f.arguments[5].value.node));
  EXPECT_EQ(std::get<EnumValue>(f.arguments[6].value.node).value, "RED");
  EXPECT_TRUE(std::get<ListValue>(f.arguments[7].value.node).values.empty());
  EXPECT_TRUE(std::get<ObjectValue>(f.arguments[8].value.node).fields.empty());
  EXPECT_EQ(std::get<Variable>(f.arguments[9].value.node).loc, (SourceLocation{1, 86}));
}

TEST(GraphqlParser, ParsesFragments) {
  const Document document = parse_ok(
      "{ ...F @d ... on T { a } ... @skip(if: $x) { b } }\n"
      "fragment F on T @e { c }");
  ASSERT_EQ(document.definitions.size(), 2U);
  const auto& selections = std::get<OperationDefinition>(document.definitions[0]).selection_set;
  const auto& spread = std::get<FragmentSpread>(selections.selections.at(0).node);
  EXPECT_EQ(spread.name.value, "F");
  EXPECT_EQ(spread.directives.at(0).name.value, "d");
  EXPECT_EQ(spread.loc, (SourceLocation{1, 3}));
  const auto& typed = std::get<InlineFragment>(selections.selections.at(1).node);
  EXPECT_EQ(typed.type_condition->name.value, "T");
  EXPECT_EQ(typed.loc, (SourceLocation{1, 11}));
  const auto& untyped = std::get<InlineFragment>(selections.selections.at(2).node);
  EXPECT_FALSE(untyped.type_condition.has_value());
  EXPECT_EQ(untyped.directives.at(0).name.value, "skip");

  const auto& fragment = std::get<FragmentDefinition>(document.definitions[1]);
  EXPECT_EQ(fragment.name.value, "F");
  EXPECT_EQ(fragment.type_condition.name.value, "T");
  EXPECT_EQ(fragment.loc, (SourceLocation{2, 1}));
  EXPECT_EQ(location_of(document.definitions[1]), (SourceLocation{2, 1}));
}

TEST(GraphqlParser, ParsesObjectTypesWithDescriptionsAndInterfaces) {
  const Document document = parse_ok(
      "\"\"\"\n  An order.\n\"\"\"\n"
      "type Order implements & Node & Entity @table(name: \"tb_order\") {\n"
      "  \"The id\" id: ID!\n"
      "  lines(first: Int = 10 @d, \"cursor\" after: String): [Line!]! @deprecated\n"
      "}");
  const auto& type = only_definition<ObjectTypeDefinition>(document);
  EXPECT_FALSE(type.is_extension);
  EXPECT_EQ(type.loc, (SourceLocation{1, 1}));
  EXPECT_EQ(type.description->value, "An order.");
  EXPECT_TRUE(type.description->block);
  EXPECT_EQ(type.name.value, "Order");
  ASSERT_EQ(type.interfaces.size(), 2U);
  EXPECT_EQ(type.interfaces[1].name.value, "Entity");
  EXPECT_EQ(std::get<StringValue>(type.directives.at(0).arguments.at(0).value.node).value,
            "tb_order");
  ASSERT_EQ(type.fields.size(), 2U);
  EXPECT_EQ(type.fields[0].description->value, "The id");
  EXPECT_EQ(type.fields[0].loc, (SourceLocation{5, 3}));
  const FieldDefinition& lines = type.fields[1];
  ASSERT_EQ(lines.arguments.size(), 2U);
  EXPECT_EQ(std::get<IntValue>(lines.arguments[0].default_value->node).text, "10");
  EXPECT_EQ(lines.arguments[0].directives.at(0).name.value, "d");
  EXPECT_EQ(lines.arguments[1].description->value, "cursor");
  EXPECT_EQ(lines.type.kind, TypeRefKind::non_null);
  EXPECT_EQ(lines.type.of_type->of_type->of_type->named.name.value, "Line");
  EXPECT_EQ(lines.directives.at(0).name.value, "deprecated");
}

TEST(GraphqlParser, ParsesTheOtherTypeDefinitions) {
  const Document document = parse_ok(
      "schema @s { query: Q mutation: M }\n"
      "scalar Date @specifiedBy(url: \"u\")\n"
      "interface I implements J { a: Int }\n"
      "union U = | A | B\n"
      "enum E { \"first\" A @d B }\n"
      "input In { a: Int = 1, b: [In] }\n"
      "directive @d(a: Int) repeatable on FIELD | OBJECT");
  ASSERT_EQ(document.definitions.size(), 7U);
  const auto& schema = std::get<SchemaDefinition>(document.definitions[0]);
  ASSERT_EQ(schema.operation_types.size(), 2U);
  EXPECT_EQ(schema.operation_types[1].operation, OperationType::mutation);
  EXPECT_EQ(schema.operation_types[1].type.name.value, "M");
  EXPECT_EQ(std::get<ScalarTypeDefinition>(document.definitions[1]).name.value, "Date");
  EXPECT_EQ(std::get<InterfaceTypeDefinition>(document.definitions[2]).interfaces.at(0).name.value,
            "J");
  const auto& union_type = std::get<UnionTypeDefinition>(document.definitions[3]);
  ASSERT_EQ(union_type.types.size(), 2U);
  EXPECT_EQ(union_type.types[0].loc, (SourceLocation{4, 13}));
  const auto& enum_type = std::get<EnumTypeDefinition>(document.definitions[4]);
  ASSERT_EQ(enum_type.values.size(), 2U);
  EXPECT_EQ(enum_type.values[0].description->value, "first");
  EXPECT_EQ(enum_type.values[0].directives.at(0).name.value, "d");
  const auto& input = std::get<InputObjectTypeDefinition>(document.definitions[5]);
  EXPECT_EQ(input.fields.at(1).type.kind, TypeRefKind::list);
  const auto& directive = std::get<DirectiveDefinition>(document.definitions[6]);
  EXPECT_TRUE(directive.repeatable);
  EXPECT_EQ(directive.arguments.at(0).name.value, "a");
  ASSERT_EQ(directive.locations.size(), 2U);
  EXPECT_EQ(directive.locations[1].value, "OBJECT");
}

TEST(GraphqlParser, MarksExtensions) {
  const Document document = parse_ok(
      "extend schema @d\nextend scalar S @d\nextend type T implements I\n"
      "extend interface I { b: Int }\nextend union U = C\nextend enum E { D }\n"
      "extend input In @d");
  ASSERT_EQ(document.definitions.size(), 7U);
  for (const Definition& definition : document.definitions) {
    const bool is_extension = std::visit(
        [](const auto& def) {
          if constexpr (requires { def.is_extension; }) {
            return def.is_extension;
          } else {
            return false;
          }
        },
        definition);
    EXPECT_TRUE(is_extension) << location_of(definition).line;
  }
  EXPECT_EQ(location_of(document.definitions[2]), (SourceLocation{3, 1}));
}

TEST(GraphqlParser, AcceptsDescriptionsOnExecutableDefinitionsLikeGraphqlJs16) {
  const Document document =
      parse_ok("\"op\" query Q(\"var\" $a: Int) { a }\n\"frag\" fragment F on T { a }");
  const auto& op = std::get<OperationDefinition>(document.definitions.at(0));
  EXPECT_EQ(op.description->value, "op");
  EXPECT_EQ(op.variable_definitions.at(0).description->value, "var");
  EXPECT_EQ(std::get<FragmentDefinition>(document.definitions.at(1)).description->value, "frag");
}

TEST(GraphqlParser, MixesExecutableAndTypeSystemDefinitions) {
  const Document document = parse_ok("type Query { a: Int }\n{ a }");
  ASSERT_EQ(document.definitions.size(), 2U);
  EXPECT_TRUE(std::holds_alternative<ObjectTypeDefinition>(document.definitions[0]));
  EXPECT_TRUE(std::holds_alternative<OperationDefinition>(document.definitions[1]));
}

TEST(GraphqlParser, DocumentsCopyDeeply) {
  const Document original = parse_ok("query($a: [[Int!]]) { a }");
  Document copy = original;
  auto& type = std::get<OperationDefinition>(copy.definitions[0]).variable_definitions[0].type;
  type.of_type->of_type->of_type->named.name.value = "Float";
  const auto& kept =
      std::get<OperationDefinition>(original.definitions[0]).variable_definitions[0].type;
  EXPECT_EQ(kept.of_type->of_type->of_type->named.name.value, "Int");
}

}  // namespace
}  // namespace herald::graphql
