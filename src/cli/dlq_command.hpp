#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace herald::cli {

struct DlqArgs {
  enum class Verb { List, Show, Replay, Purge } verb = Verb::List;
  bool json = false;
  std::vector<std::int64_t> ids;      // show (one), replay
  bool all = false;                   // replay --all
  std::optional<std::string> before;  // purge --before
};

// `herald dlq list [--json] | show ID | replay ID… | replay --all | purge [--before T]`
int dlq_command(const std::string& config_path, const DlqArgs& args);

}  // namespace herald::cli
