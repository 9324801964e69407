#include "cli/dead_letter_publisher.hpp"

#include <spdlog/spdlog.h>

#include <nlohmann/json.hpp>

namespace herald::cli {

DeadLetterPublisher::DeadLetterPublisher(std::string subject,
                                         std::unique_ptr<sink::CompletionQueue> completions,
                                         std::unique_ptr<sink::Sink> sink)
    : subject_(std::move(subject)), completions_(std::move(completions)), sink_(std::move(sink)) {}

std::string DeadLetterPublisher::encode(const dispatch::DeadLetter& d) {
  nlohmann::json j = {{"id", d.id},
                      {"event_id", d.event_id},
                      {"rule", d.rule},
                      {"action", d.action},
                      {"target", d.target},
                      {"attempts", d.attempts},
                      {"last_error", d.last_error},
                      {"first_failed_at", d.first_failed_at},
                      {"dead_at", d.dead_at}};
  // The event as delivered, verbatim (its exact numbers stay exact).
  std::string text = j.dump();
  text.pop_back();
  return text + ",\"event\":" + d.payload + "}";
}

void DeadLetterPublisher::publish(const dispatch::DeadLetter& letter) {
  std::lock_guard lock(mutex_);
  drained_.clear();
  completions_->drain(drained_);
  for (const auto& c : drained_) {
    if (c.outcome != sink::Outcome::Delivered) {
      spdlog::warn("could not publish a dead letter to {}: {}", subject_, c.error);
    }
  }
  sink::Delivery d;
  d.token = next_token_++;
  d.event_id = "dead-letter-" + std::to_string(letter.id);
  d.destination = subject_;
  d.payload = encode(letter);
  if (!sink_->submit(d)) {
    spdlog::warn("dead letter {} not published to {}: too many notices in flight", letter.id,
                 subject_);
  }
}

}  // namespace herald::cli
