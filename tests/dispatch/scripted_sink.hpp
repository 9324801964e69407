#pragma once
// A sink that misbehaves on cue: it records each delivery and the test completes it
// with the outcome it chooses.

#include <deque>
#include <string>
#include <vector>

#include "sink/completion_queue.hpp"
#include "sink/sink.hpp"

namespace herald::dispatch {

class ScriptedSink final : public sink::Sink {
 public:
  explicit ScriptedSink(sink::CompletionQueue& completions) : completions_(completions) {}

  bool submit(const sink::Delivery& delivery) override {
    accepted.push_back(delivery);
    open.push_back(delivery);
    return true;
  }
  std::size_t in_flight() const override { return open.size(); }
  bool healthy() const override { return true; }
  std::string describe() const override { return "scripted"; }

  // Completes the open delivery of `event_id` with `outcome`.
  void complete(const std::string& event_id, sink::Outcome outcome, std::string error = "") {
    for (auto it = open.begin(); it != open.end(); ++it) {
      if (it->event_id != event_id) continue;
      completions_.push(sink::Completion{it->token, outcome, std::move(error), std::nullopt});
      open.erase(it);
      return;
    }
    throw std::runtime_error("no open delivery " + event_id);
  }

  std::vector<std::string> accepted_ids() const {
    std::vector<std::string> ids;
    for (const auto& d : accepted) ids.push_back(d.event_id);
    return ids;
  }

  std::vector<sink::Delivery> accepted;
  std::deque<sink::Delivery> open;

 private:
  sink::CompletionQueue& completions_;
};

}  // namespace herald::dispatch
