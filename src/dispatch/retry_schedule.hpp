#pragma once
// When a failed delivery is tried again: [observers.retry] (or the action's own retry
// table) gives the shape, ±20% jitter spreads retries of many deliveries apart, and a
// target's Retry-After wins when it asks for a pause.

#include <chrono>
#include <optional>

#include "config/config.hpp"

namespace herald::dispatch {

// The delay before try number `attempts_done + 1`, after `attempts_done` failed tries
// (>= 1). `uniform` is a random number in [0, 1): injected so tests are exact.
std::chrono::milliseconds retry_delay(const config::RetryPolicy& policy, int attempts_done,
                                      double uniform,
                                      std::optional<std::chrono::milliseconds> retry_after = {});

// Whether another try is allowed after `attempts_done` tries.
inline bool may_retry(const config::RetryPolicy& policy, int attempts_done) {
  return attempts_done < policy.max_attempts;
}

}  // namespace herald::dispatch
