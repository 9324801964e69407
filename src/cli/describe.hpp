#pragma once
// The readable summary `herald check` prints: what the configuration will do.

#include <string>

#include "config/config.hpp"

namespace herald::cli {

std::string describe(const config::Config& config);

// A libpq URI or conninfo with any password replaced by "***", for display.
std::string redact_password(const std::string& conninfo);

}  // namespace herald::cli
