#pragma once

#include <string>

namespace herald::cli {

// `herald run`: capture, deliver, subscribe, serve; SIGTERM or SIGINT drains and exits 0.
int run_command(const std::string& config_path);

// `herald setup`: creates the slot, publication and schema herald; prints what changed.
int setup_command(const std::string& config_path);

// `herald teardown`: drops the slot and publication.
int teardown_command(const std::string& config_path);

}  // namespace herald::cli
