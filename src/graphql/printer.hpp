#pragma once
// AST -> canonical GraphQL text: two-space indentation, one selection or member per line,
// arguments and values on one line, definitions separated by a blank line.
// parse(print(document)) gives the same document (locations aside); a block string that
// no block literal can reproduce (e.g. one containing \r) is printed as a quoted string.

#include <string>

#include "graphql/ast.hpp"

namespace herald::graphql {

std::string print(const Document& document);
std::string print(const Value& value);
std::string print(const TypeRef& type);

// A GraphQL string literal ("...") for any UTF-8 text.
std::string print_string(std::string_view value);

}  // namespace herald::graphql
