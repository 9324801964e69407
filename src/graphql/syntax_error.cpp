#include "graphql/syntax_error.hpp"

#include <fmt/format.h>

namespace herald::graphql {

herald::Error SyntaxError::to_error() const {
  return herald::Error{fmt::format("{} ({}:{})", message, location.line, location.column)};
}

}  // namespace herald::graphql
