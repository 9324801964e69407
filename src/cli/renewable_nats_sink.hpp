#pragma once
// The NATS sink `herald run` delivers through. renew() throws the connection away with
// whatever nats.c still buffers for it (publishes made after the server went away would
// otherwise be sent on reconnect, ahead of the replay from the slot) and connects anew.

#include <chrono>
#include <memory>
#include <mutex>

#include "sink/nats_sink.hpp"

namespace herald::cli {

class RenewableNatsSink final : public sink::Sink {
 public:
  static Result<std::unique_ptr<RenewableNatsSink>> connect(sink::NatsSinkSettings settings,
                                                            sink::CompletionQueue& completions);
  RenewableNatsSink(sink::NatsSinkSettings settings, sink::CompletionQueue& completions,
                    std::unique_ptr<sink::NatsSink> inner);

  bool submit(const sink::Delivery& delivery) override;
  std::size_t in_flight() const override;
  bool healthy() const override;
  std::string describe() const override;
  void renew() override;
  void poll() override;
  void rewind() override;

  void close(std::chrono::milliseconds grace);

 private:
  static Result<std::unique_ptr<sink::NatsSink>> open(const sink::NatsSinkSettings& settings,
                                                      sink::CompletionQueue& completions);

  sink::NatsSinkSettings settings_;
  sink::CompletionQueue& completions_;
  mutable std::mutex mutex_;  // inner_ is swapped on the capture thread, read by /readyz
  std::unique_ptr<sink::NatsSink> inner_;
  std::string description_;
  std::chrono::steady_clock::time_point chain_paused_until_{};
};

}  // namespace herald::cli
