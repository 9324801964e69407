#pragma once
// Reads fraiseql.toml into herald::config::Config. Every problem is collected, not
// just the first, each located in the user's own file as PATH:LINE:COL.

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "config/config.hpp"

namespace herald::config {

struct ConfigError {
  SourcePos pos;
  std::string message;
  // "PATH:LINE:COL: message" (or "PATH: message" when no line is known)
  std::string to_string() const;
};

// How the loader reads environment variables; tests pass a map instead of the process
// environment.
using EnvLookup = std::function<std::optional<std::string>(const std::string& name)>;
EnvLookup process_env();

struct LoadResult {
  std::optional<Config> config;  // set only when errors is empty
  std::vector<ConfigError> errors;
};

// `path` is read from disk; errors name it as given.
LoadResult load_file(const std::string& path, const EnvLookup& env = process_env());
// `text` is the file's content; `path` names it in errors and anchors relative paths.
LoadResult load_string(std::string_view text, const std::string& path,
                       const EnvLookup& env = process_env());

}  // namespace herald::config
