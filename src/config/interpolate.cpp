#include "config/interpolate.hpp"

#include <fmt/format.h>

namespace herald::config {
namespace {

bool is_name_start(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_';
}
bool is_name_char(char c) {
  return is_name_start(c) || (c >= '0' && c <= '9');
}

bool is_variable_name(std::string_view name) {
  if (name.empty() || !is_name_start(name.front())) return false;
  for (const char c : name) {
    if (!is_name_char(c)) return false;
  }
  return true;
}

}  // namespace

Interpolation interpolate(std::string_view raw, const EnvLookup& env) {
  Interpolation result;
  std::size_t i = 0;
  while (i < raw.size()) {
    if (raw.substr(i, 3) == "$${") {
      result.value += "${";
      i += 3;
      continue;
    }
    if (raw.substr(i, 2) != "${") {
      result.value += raw[i];
      ++i;
      continue;
    }
    const std::size_t close = raw.find('}', i + 2);
    if (close == std::string_view::npos) {
      result.problems.push_back("has an unterminated \"${\" (write \"$${\" for a literal \"${\")");
      result.value.append(raw.substr(i));
      break;
    }
    const std::string_view body = raw.substr(i + 2, close - i - 2);
    const std::size_t default_at = body.find(":-");
    const std::string_view name = body.substr(0, default_at);
    if (!is_variable_name(name)) {
      result.problems.push_back(fmt::format(
          "has \"${{{}}}\", which is not a variable reference (names are letters, digits and "
          "'_'; write \"$${{\" for a literal \"${{\")",
          body));
    } else {
      const std::optional<std::string> found = env(std::string(name));
      if (default_at != std::string_view::npos) {
        const bool use_default = !found || found->empty();
        result.value += use_default ? std::string(body.substr(default_at + 2)) : *found;
      } else if (found) {
        result.value += *found;
      } else {
        result.problems.push_back(
            fmt::format("uses environment variable {}, which is not set", name));
      }
    }
    i = close + 1;
  }
  return result;
}

}  // namespace herald::config
