#pragma once
// A GraphQL syntax error is an expected outcome (clients send broken documents), so it
// is a value: the message in graphql-js's words and the position it points at, ready
// for a GraphQL response's "errors": [{"message", "locations": [{line, column}]}].

#include <cassert>
#include <string>
#include <utility>
#include <variant>

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
class [[nodiscard]] Parsed {
 public:
  Parsed(T value) : state_(std::in_place_index<0>, std::move(value)) {}  // NOLINT: implicit
  Parsed(SyntaxError error) : state_(std::in_place_index<1>, std::move(error)) {}  // NOLINT

  bool ok() const { return state_.index() == 0; }
  explicit operator bool() const { return ok(); }

  T& value() & {
    assert(ok());
    return std::get<0>(state_);
  }
  const T& value() const& {
    assert(ok());
    return std::get<0>(state_);
  }
  T&& value() && {
    assert(ok());
    return std::get<0>(std::move(state_));
  }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

  const SyntaxError& error() const {
    assert(!ok());
    return std::get<1>(state_);
  }

 private:
  std::variant<T, SyntaxError> state_;
};

}  // namespace herald::graphql
