#pragma once
// The sinks `herald run` opens, one per broker and one per webhook action, and the
// labels people see for them. Sinks are opened when a target first needs them.

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "common/result.hpp"
#include "config/config.hpp"
#include "sink/completion_queue.hpp"
#include "cli/renewable_nats_sink.hpp"
#include "sink/sink.hpp"

namespace herald::cli {

class SinkSet {
 public:
  SinkSet(const config::Observers& observers, sink::CompletionQueue& completions)
      : observers_(observers), completions_(completions) {}

  // The sink of a rule's action, or of the backend when `action` is null.
  Result<sink::Sink*> for_action(const config::Action* action);

  // A separate sink for the retry worker (its own connection and completion queue).
  Result<std::unique_ptr<sink::Sink>> open_for_retries(const config::Action& action,
                                                       sink::CompletionQueue& completions) const;

  // Sinks whose failures hold the WAL (NATS, Redis): capture waits for them to be healthy.
  std::vector<sink::Sink*> brokers() const;
  bool all_brokers_healthy() const;

  // Waits up to `grace` for deliveries in flight, then closes every sink.
  void close(std::chrono::milliseconds grace);

 private:
  Result<sink::Sink*> nats();
  Result<sink::Sink*> redis();
  Result<std::unique_ptr<sink::Sink>> open_webhook(const config::Action& action,
                                                   sink::CompletionQueue& completions) const;

  const config::Observers& observers_;
  sink::CompletionQueue& completions_;
  std::unique_ptr<RenewableNatsSink> nats_;
  std::unique_ptr<sink::Sink> redis_;
  std::map<const config::Action*, std::unique_ptr<sink::Sink>> webhooks_;
};

// "<prefix>.>" plus every configured subject outside it: what the JetStream stream covers.
std::vector<std::string> stream_subjects(const config::Observers& observers);

}  // namespace herald::cli
