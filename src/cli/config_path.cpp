#include "cli/config_path.hpp"

#include <cstdlib>

namespace herald::cli {

std::string resolve_config_path(const std::string& from_flag) {
  if (!from_flag.empty()) return from_flag;
  if (const char* env = std::getenv("HERALD_CONFIG"); env != nullptr && *env != '\0') return env;
  return "fraiseql.toml";
}

}  // namespace herald::cli
