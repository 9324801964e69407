#pragma once
// herald's capture loop: reads the slot, decodes pgoutput, matches rules, hands events
// to the dispatcher and confirms the slot as deliveries settle. It survives PostgreSQL
// restarts and broker outages by reconnecting and replaying from the slot, which holds
// every unconfirmed event.

#include <atomic>
#include <chrono>
#include <string>
#include <vector>

#include "cli/catalog_type_lookup.hpp"
#include "dispatch/dispatcher.hpp"
#include "event/rule_set.hpp"
#include "sink/completion_queue.hpp"
#include "sink/sink.hpp"

namespace herald::cli {

struct PipelineSettings {
  std::string conninfo;
  std::string slot;
  std::string publication;
  // How often a moving confirmed position is reported to PostgreSQL. Short, so that a
  // crash replays little (JetStream dedupes the replay within its duplicate window).
  std::chrono::milliseconds confirm_interval{100};
  // How long SIGTERM waits for deliveries in flight before giving up on them (they are
  // not lost: the slot replays them at the next start).
  std::chrono::milliseconds drain_timeout{30000};
  // When the stream runs dry right after changes were read, herald waits this long before
  // reading again, so that the next reads, publishes and broker acks each carry a batch.
  // Each wake-up of herald's threads and of the broker costs CPU that PostgreSQL, on the
  // same cores, would rather have (docs/configuration.md has the measured trade-off). It
  // adds at most this much to an event's latency, and only while writes keep coming (the
  // first change after a quiet spell is read at once).
  // [observers] batch_window_ms.
  std::chrono::microseconds batch_window{5000};
};

struct PipelineProgress {
  std::atomic<std::uint64_t> events{0};
  std::atomic<std::uint64_t> confirmed_lsn{0};
  std::atomic<bool> streaming{false};
};

class Pipeline {
 public:
  Pipeline(PipelineSettings settings, const event::RuleSet& rules, dispatch::Dispatcher& dispatcher,
           sink::CompletionQueue& completions, std::vector<sink::Sink*> brokers);

  // Runs until `stop` becomes true; then drains and returns. Returns an error only for
  // problems a restart cannot fix (the slot is gone, the publication is missing).
  Result<void> run(const std::atomic<bool>& stop);

  const PipelineProgress& progress() const { return progress_; }

 private:
  enum class SessionEnd { Stopped, Reconnect, Fatal };
  SessionEnd session(const std::atomic<bool>& stop, std::string& why);
  void wait_for_brokers(const std::atomic<bool>& stop);
  // Reads the brokers' acks (`now`, or when a millisecond has passed since the last look)
  // and applies every completion that has arrived.
  void collect_completions(bool now);
  // How long the loop may wait for completions: `longest`, or 1 ms while a broker has
  // deliveries in flight.
  std::chrono::milliseconds completion_wait(std::chrono::milliseconds longest) const;

  PipelineSettings settings_;
  CatalogTypeLookup type_lookup_;
  const event::RuleSet& rules_;
  dispatch::Dispatcher& dispatcher_;
  sink::CompletionQueue& completions_;
  std::vector<sink::Sink*> brokers_;
  PipelineProgress progress_;
  bool session_streamed_ = false;
  bool broker_failed_ = false;  // the last session ended on a failed broker delivery
  std::chrono::steady_clock::time_point last_broker_poll_{};
};

}  // namespace herald::cli
