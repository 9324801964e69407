#pragma once
// Helpers for the config tests: an environment from a map, and errors as the strings
// a user sees.

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "config/loader.hpp"

namespace herald::config::testing {

using Env = std::map<std::string, std::string>;

inline EnvLookup env_of(Env variables) {
  return [variables = std::move(variables)](const std::string& name) -> std::optional<std::string> {
    const auto found = variables.find(name);
    if (found == variables.end()) return std::nullopt;
    return found->second;
  };
}

inline std::vector<std::string> error_strings(const LoadResult& result) {
  std::vector<std::string> lines;
  for (const ConfigError& error : result.errors) lines.push_back(error.to_string());
  return lines;
}

// Loads `text` as "fraiseql.toml" and returns every error as "path:line:col: message".
inline std::vector<std::string> errors_of(std::string_view text, Env variables = {}) {
  return error_strings(load_string(text, "fraiseql.toml", env_of(std::move(variables))));
}

// The NATS backend with a URL, so rules and subscriptions in a test are deliverable.
inline const char* const kNatsHeader =
    "[observers]\n"
    "nats_url = \"nats://127.0.0.1:4222\"\n";

inline std::string source_path(std::string_view relative) {
  return std::string(HERALD_SOURCE_DIR) + "/" + std::string(relative);
}

}  // namespace herald::config::testing
