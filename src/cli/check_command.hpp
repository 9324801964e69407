#pragma once

#include <string>

namespace herald::cli {

// `herald check`: validates the config; prints a summary (exit 0) or every error (exit 1).
int check_command(const std::string& config_path);

}  // namespace herald::cli
