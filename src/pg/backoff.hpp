#pragma once
// Reconnect pacing: exponential delays from `initial` doubling (by `multiplier`) up to
// `max`, each spread by ±`jitter` so many herald processes do not reconnect in step.
// The clock and the random source are injected so tests are exact; production uses
// steady_clock and a seeded engine (Backoff::system()).
//
// Nothing here is PostgreSQL-specific; it lives in pg because reconnecting the
// replication stream is its first user. Delivery retries follow [observers.retry]
// (linear/fixed/attempt limits) and are the dispatch module's business.

#include <chrono>
#include <functional>

namespace herald::pg {

class Backoff {
 public:
  using Clock = std::chrono::steady_clock;
  using Duration = std::chrono::milliseconds;
  using NowFn = std::function<Clock::time_point()>;
  using UniformFn = std::function<double()>;  // uniform in [0, 1)

  struct Settings {
    Duration initial{100};
    Duration max{30000};
    double multiplier = 2.0;
    double jitter = 0.2;  // fraction of the delay, applied both ways
  };

  Backoff(Settings settings, NowFn now, UniformFn uniform);
  static Backoff system(Settings settings);  // steady_clock + std::mt19937_64 from random_device

  // Records a failed attempt and returns the delay before the next one. The delay
  // never exceeds settings.max, jitter included.
  Duration on_failure();
  // A connection that works resets the sequence to `initial`.
  void on_success();

  // Whether the delay chosen by the last on_failure() has passed (true before any).
  bool ready() const;
  // Time left until ready(), zero when ready.
  Duration remaining() const;
  int failures() const { return failures_; }

 private:
  Settings settings_;
  NowFn now_;
  UniformFn uniform_;
  int failures_ = 0;
  Clock::time_point next_attempt_{};
};

}  // namespace herald::pg
