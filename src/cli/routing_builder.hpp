#pragma once
// Turns the config's rules and actions into dispatch targets over the sinks herald
// opens.

#include <map>
#include <utility>

#include "cli/sink_set.hpp"
#include "common/result.hpp"
#include "config/config.hpp"
#include "dispatch/target.hpp"

namespace herald::cli {

struct BuiltRouting {
  dispatch::Routing routing;
  // The webhook action behind each (rule, action) pair, for the retry worker's sinks.
  std::map<std::pair<std::string, int>, const config::Action*> webhook_actions;
};

Result<BuiltRouting> build_routing(const config::Observers& observers, SinkSet& sinks);

// What a target delivers to, for logs and dead letters: never a secret (webhook URLs
// may carry tokens, so only their scheme, host and port are shown).
std::string target_label(const config::Observers& observers, const config::Action* action);

}  // namespace herald::cli
