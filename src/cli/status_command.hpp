#pragma once

#include <string>

namespace herald::cli {

// `herald status [--json]`: the slot and its lag, the publication, pending retries and
// dead letters, as the database sees them.
int status_command(const std::string& config_path, bool json);

}  // namespace herald::cli
