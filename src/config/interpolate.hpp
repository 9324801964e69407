#pragma once
// `${VAR}` and `${VAR:-default}` in string values. `$${` is a literal `${`.

#include <string>
#include <string_view>
#include <vector>

#include "config/loader.hpp"

namespace herald::config {

struct Interpolation {
  std::string value;
  std::vector<std::string> problems;  // each names the variable; the caller adds the key
};

// `${VAR}` fails when VAR is unset; `${VAR:-default}` uses the default when VAR is
// unset or empty (as a shell does). A default runs to the first `}`.
Interpolation interpolate(std::string_view raw, const EnvLookup& env);

}  // namespace herald::config
