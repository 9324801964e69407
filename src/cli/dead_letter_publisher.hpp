#pragma once
// Publishes each new dead letter to [observers.dlq] subject, on its own connection to
// the backend, best effort: the dead letter itself is already safe in
// herald.dead_letters, so a failed notice is logged and not retried.

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "dispatch/retry_store.hpp"
#include "sink/completion_queue.hpp"
#include "sink/sink.hpp"

namespace herald::cli {

class DeadLetterPublisher {
 public:
  DeadLetterPublisher(std::string subject, std::unique_ptr<sink::CompletionQueue> completions,
                      std::unique_ptr<sink::Sink> sink);

  // Thread-safe: the dispatcher and the retry worker both call it.
  void publish(const dispatch::DeadLetter& letter);

  // {"id", "event_id", "rule", "action", "target", "attempts", "last_error",
  //  "first_failed_at", "dead_at", "event"}
  static std::string encode(const dispatch::DeadLetter& letter);

 private:
  std::string subject_;
  std::unique_ptr<sink::CompletionQueue> completions_;
  std::unique_ptr<sink::Sink> sink_;
  std::mutex mutex_;
  std::vector<sink::Completion> drained_;
  std::uint64_t next_token_ = 1;
};

}  // namespace herald::cli
