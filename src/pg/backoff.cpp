#include "pg/backoff.hpp"

#include <algorithm>
#include <cmath>
#include <memory>
#include <random>

namespace herald::pg {

Backoff::Backoff(Settings settings, NowFn now, UniformFn uniform)
    : settings_(settings), now_(std::move(now)), uniform_(std::move(uniform)) {
  settings_.initial = std::max(settings_.initial, Duration(1));
  settings_.max = std::max(settings_.max, settings_.initial);
  settings_.multiplier = std::max(settings_.multiplier, 1.0);
  settings_.jitter = std::clamp(settings_.jitter, 0.0, 1.0);
  next_attempt_ = now_();
}

Backoff Backoff::system(Settings settings) {
  // shared_ptr because std::function must be copyable; the engine is not shared elsewhere.
  auto engine = std::make_shared<std::mt19937_64>(std::random_device{}());
  return Backoff(
      settings, [] { return Clock::now(); },
      [engine] { return std::uniform_real_distribution<double>(0.0, 1.0)(*engine); });
}

Backoff::Duration Backoff::on_failure() {
  const double initial = static_cast<double>(settings_.initial.count());
  const double cap = static_cast<double>(settings_.max.count());
  // pow() of a large exponent saturates to inf, which min() then caps.
  const double base = std::min(cap, initial * std::pow(settings_.multiplier, failures_));
  const double spread = settings_.jitter * (2.0 * std::clamp(uniform_(), 0.0, 1.0) - 1.0);
  const double jittered = std::clamp(base * (1.0 + spread), 1.0, cap);
  const Duration delay(static_cast<Duration::rep>(std::llround(jittered)));
  ++failures_;
  next_attempt_ = now_() + delay;
  return delay;
}

void Backoff::on_success() {
  failures_ = 0;
  next_attempt_ = now_();
}

bool Backoff::ready() const {
  return now_() >= next_attempt_;
}

Backoff::Duration Backoff::remaining() const {
  const auto left = next_attempt_ - now_();
  if (left <= Clock::duration::zero()) return Duration(0);
  return std::chrono::ceil<Duration>(left);
}

}  // namespace herald::pg
