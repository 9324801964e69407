#pragma once
// Where sinks report outcomes. Sinks complete deliveries on their own threads (nats.c
// callbacks, HTTP workers); the dispatcher drains the queue on its thread. wake_fd() is
// an eventfd that becomes readable when completions wait, so the dispatcher can poll it
// beside the replication socket.

#include <mutex>
#include <vector>

#include "sink/sink.hpp"

namespace herald::sink {

class CompletionQueue {
 public:
  CompletionQueue();
  ~CompletionQueue();
  CompletionQueue(const CompletionQueue&) = delete;
  CompletionQueue& operator=(const CompletionQueue&) = delete;

  void push(Completion completion);  // thread-safe, never blocks on the consumer

  // Moves every waiting completion into `out` (appending) and resets the wake signal.
  void drain(std::vector<Completion>& out);

  int wake_fd() const { return fd_; }

 private:
  std::mutex mutex_;
  std::vector<Completion> items_;
  int fd_ = -1;
};

}  // namespace herald::sink
