#pragma once
// Parsing GraphQL documents (spec October 2021, as graphql-js 16 accepts them: one
// document may mix executable and type-system definitions, and operations, fragments
// and variable definitions may carry descriptions).
//
//   auto document = herald::graphql::parse("{ orders { id } }");
//   if (!document) respond_with(document.error().message, document.error().location);
//
// Messages and locations match graphql-js's `parse` (tests/graphql proves it on a
// corpus). Unlike graphql-js, input size and nesting depth are bounded, so hostile input
// yields an error instead of exhausting memory or the stack.

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "graphql/ast.hpp"
#include "graphql/syntax_error.hpp"

namespace herald::graphql {

struct ParseOptions {
  std::size_t max_source_bytes = std::size_t{1} << 20;
  // Nesting of selection sets, list and object values, and list types, together.
  std::uint32_t max_depth = 128;
  std::size_t max_tokens = 0;  // 0: no limit beyond max_source_bytes
};

using ParseResult = Parsed<Document>;

ParseResult parse(std::string_view source, const ParseOptions& options = {});

}  // namespace herald::graphql
