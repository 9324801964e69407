#include "sink/nats_core_flusher.hpp"

#include <algorithm>
#include <utility>

#include <fmt/format.h>

#include "sink/nats_handles.hpp"

namespace herald::sink::nats {

CoreFlusher::CoreFlusher(natsConnection* connection, std::shared_ptr<PublishState> state,
                         std::chrono::milliseconds flush_timeout)
    : connection_(connection),
      state_(std::move(state)),
      flush_timeout_(flush_timeout),
      thread_([this] { run(); }) {}

CoreFlusher::~CoreFlusher() {
  stop(std::chrono::milliseconds(0));
}

void CoreFlusher::published(std::uint64_t token) {
  {
    const std::lock_guard lock(mutex_);
    waiting_.push_back(token);
  }
  wake_.notify_one();
}

void CoreFlusher::stop(std::chrono::milliseconds grace) {
  {
    const std::lock_guard lock(mutex_);
    if (stopping_) return;
    stopping_ = true;
    final_grace_ = grace;
  }
  wake_.notify_one();
  if (thread_.joinable()) thread_.join();
}

void CoreFlusher::run() {
  std::vector<std::uint64_t> batch;
  while (true) {
    bool last = false;
    std::chrono::milliseconds timeout = flush_timeout_;
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [this] { return stopping_ || !waiting_.empty(); });
      batch.swap(waiting_);
      if (stopping_) {
        last = true;
        timeout = final_grace_;
      }
    }
    if (!batch.empty()) flush(batch, timeout);
    batch.clear();
    if (last) return;
  }
}

void CoreFlusher::flush(std::vector<std::uint64_t>& batch, std::chrono::milliseconds timeout) {
  // nats.c wants a positive timeout; with no grace left a flush can only fail.
  const natsStatus status = timeout.count() > 0
                                ? natsConnection_FlushTimeout(connection_, timeout.count())
                                : NATS_TIMEOUT;
  std::string error;
  if (status != NATS_OK) {
    error = fmt::format("core NATS flush did not confirm the publish within {} ms: {}",
                        timeout.count(), status_text(status));
  }
  const Outcome outcome = status == NATS_OK ? Outcome::Delivered : Outcome::Retry;
  for (const std::uint64_t token : batch) {
    state_->finish(Completion{token, outcome, error, std::nullopt});
  }
}

}  // namespace herald::sink::nats
