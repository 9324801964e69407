#pragma once
// Core NATS has no acks. A publish only reaches a socket buffer, so the core sink reports
// Delivered after a flush: a PING written behind the messages whose PONG proves the server
// has read them. This thread batches that: every delivery published before a flush starts
// completes with that flush's result.

#include <nats/nats.h>

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "sink/nats_publish_state.hpp"

namespace herald::sink::nats {

class CoreFlusher {
 public:
  CoreFlusher(natsConnection* connection, std::shared_ptr<PublishState> state,
              std::chrono::milliseconds flush_timeout);
  ~CoreFlusher();  // stop({})
  CoreFlusher(const CoreFlusher&) = delete;
  CoreFlusher& operator=(const CoreFlusher&) = delete;

  // The delivery's message was published; it completes with the next flush.
  void published(std::uint64_t token);

  // Flushes what is waiting (for at most `grace`), completes it, and ends the thread.
  void stop(std::chrono::milliseconds grace);

 private:
  void run();
  void flush(std::vector<std::uint64_t>& batch, std::chrono::milliseconds timeout);

  natsConnection* connection_;
  std::shared_ptr<PublishState> state_;
  std::chrono::milliseconds flush_timeout_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::vector<std::uint64_t> waiting_;
  bool stopping_ = false;
  std::chrono::milliseconds final_grace_{0};
  std::thread thread_;
};

}  // namespace herald::sink::nats
