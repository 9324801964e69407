#pragma once
// Makes sure the JetStream stream herald publishes into exists and covers every subject it
// will publish on, with a duplicate window long enough for Nats-Msg-Id dedup to absorb
// republishes after a crash or an ack timeout.

#include <nats/nats.h>

#include <chrono>
#include <string>
#include <vector>

#include "common/result.hpp"

namespace herald::sink::nats {

struct StreamRequirements {
  std::string name;                   // e.g. "FRAISEQL"
  std::vector<std::string> subjects;  // "<prefix>.>" and every configured subject
  std::chrono::seconds duplicate_window{120};
};

enum class StreamAction {
  Unchanged,  // it existed and already covered everything
  Created,
  Updated,  // subjects added and/or duplicate window raised
};

// Creates the stream (file storage) or updates it, adding only subjects that none of its
// subjects covers yet and raising (never lowering) the duplicate window. Errors say what
// failed: JetStream unavailable, or which other stream already owns one of the subjects.
Result<StreamAction> ensure_stream(jsCtx* js, const StreamRequirements& requirements);

}  // namespace herald::sink::nats
