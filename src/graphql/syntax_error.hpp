#pragma once
// A GraphQL syntax error is an expected outcome (clients send broken documents), so it
// is a value: the message in graphql-js's words and the position it points at, ready
// for a GraphQL response's "errors": [{"message", "locations": [{line, column}]}].

#include <string>

#include "common/result.hpp"
#include "graphql/source_text.hpp"

namespace herald::graphql {

struct SyntaxError {
  std::string message;  // e.g. "Syntax Error: Expected Name, found <EOF>."
  SourceLocation location;

  // "Syntax Error: ... (3:7)", for logs and herald::Result callers.
  herald::Error to_error() const;
};

// Either a T or the SyntaxError that prevented it.
template <typename T>
using Parsed = BasicResult<T, SyntaxError>;

}  // namespace herald::graphql
