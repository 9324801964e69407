#include "cli/renewable_nats_sink.hpp"

#include <algorithm>

#include <spdlog/spdlog.h>

namespace herald::cli {

Result<std::unique_ptr<sink::NatsSink>> RenewableNatsSink::open(
    const sink::NatsSinkSettings& settings, sink::CompletionQueue& completions) {
  auto connected = sink::NatsSink::connect(settings, completions);
  if (!connected) return connected.error();
  if (auto ensured = (*connected)->ensure_stream(); !ensured) return ensured.error();
  return std::move(*connected);
}

Result<std::unique_ptr<RenewableNatsSink>> RenewableNatsSink::connect(
    sink::NatsSinkSettings settings, sink::CompletionQueue& completions) {
  auto inner = open(settings, completions);
  if (!inner) return inner.error();
  return std::make_unique<RenewableNatsSink>(std::move(settings), completions, std::move(*inner));
}

RenewableNatsSink::RenewableNatsSink(sink::NatsSinkSettings settings,
                                     sink::CompletionQueue& completions,
                                     std::unique_ptr<sink::NatsSink> inner)
    : settings_(std::move(settings)),
      completions_(completions),
      inner_(std::move(inner)),
      description_(inner_->describe()) {}

bool RenewableNatsSink::submit(const sink::Delivery& delivery) {
  return inner_ != nullptr && inner_->submit(delivery);
}

std::size_t RenewableNatsSink::in_flight() const {
  std::lock_guard lock(mutex_);
  return inner_ != nullptr ? inner_->in_flight() : 0;
}

bool RenewableNatsSink::healthy() const {
  std::lock_guard lock(mutex_);
  return inner_ != nullptr && inner_->healthy();
}

std::string RenewableNatsSink::describe() const {
  return description_;
}

void RenewableNatsSink::poll() {
  std::lock_guard lock(mutex_);
  if (inner_) inner_->poll();
}

void RenewableNatsSink::rewind() {
  std::lock_guard lock(mutex_);
  if (inner_) inner_->rewind();
}

void RenewableNatsSink::renew() {
  std::unique_ptr<sink::NatsSink> old;
  {
    std::lock_guard lock(mutex_);
    old = std::move(inner_);
  }
  if (old) chain_paused_until_ = std::max(chain_paused_until_, old->chain_paused_until());
  // Closed without grace: what it still holds completes as Retry (the dispatcher has
  // forgotten those deliveries; the slot replays them) and is never sent.
  if (old) old->close(std::chrono::milliseconds(0));
  old.reset();
  auto fresh = open(settings_, completions_);
  if (!fresh) {
    spdlog::debug("NATS not back yet: {}", fresh.error().message);
    return;
  }
  (*fresh)->pause_chain_until(chain_paused_until_);  // a broken chain stays paused
  std::lock_guard lock(mutex_);
  inner_ = std::move(*fresh);
}

void RenewableNatsSink::close(std::chrono::milliseconds grace) {
  std::lock_guard lock(mutex_);
  if (inner_) inner_->close(grace);
}

}  // namespace herald::cli
