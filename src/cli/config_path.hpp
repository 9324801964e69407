#pragma once

#include <string>

namespace herald::cli {

// The config file a command reads: `-c PATH`, else $HERALD_CONFIG, else ./fraiseql.toml.
std::string resolve_config_path(const std::string& from_flag);

}  // namespace herald::cli
