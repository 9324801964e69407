#pragma once
// Turns the config's rules and actions into dispatch targets over the sinks herald
// opened, and lists the subjects the JetStream stream must cover.

#include <string>
#include <vector>

#include "common/result.hpp"
#include "config/config.hpp"
#include "dispatch/target.hpp"
#include "sink/sink.hpp"

namespace herald::cli {

struct Sinks {
  sink::Sink* nats = nullptr;
};

// Which sinks the config needs.
bool needs_nats(const config::Observers& observers);

// "<prefix>.>" plus every configured subject outside it.
std::vector<std::string> stream_subjects(const config::Observers& observers);

Result<dispatch::Routing> build_routing(const config::Observers& observers, const Sinks& sinks);

}  // namespace herald::cli
