#include "dispatch/retry_schedule.hpp"

#include <algorithm>
#include <cmath>

namespace herald::dispatch {

std::chrono::milliseconds retry_delay(const config::RetryPolicy& policy, int attempts_done,
                                      double uniform,
                                      std::optional<std::chrono::milliseconds> retry_after) {
  const double initial = static_cast<double>(policy.initial_delay_ms);
  const double max = static_cast<double>(policy.max_delay_ms);
  const int n = std::max(attempts_done, 1);
  double base = initial;
  switch (policy.backoff) {
    case config::Backoff::Fixed:
      base = initial;
      break;
    case config::Backoff::Linear:
      base = initial * n;
      break;
    case config::Backoff::Exponential:
      base = initial * std::pow(2.0, std::min(n - 1, 62));
      break;
  }
  base = std::min(base, max);
  double jittered = base * (0.8 + 0.4 * std::clamp(uniform, 0.0, 1.0));
  if (retry_after) {
    // The target knows best when it can take more; still capped by max_delay_ms.
    jittered = std::min(std::max(jittered, static_cast<double>(retry_after->count())), max);
  }
  return std::chrono::milliseconds(static_cast<std::int64_t>(std::llround(jittered)));
}

}  // namespace herald::dispatch
