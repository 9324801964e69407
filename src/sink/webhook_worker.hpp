#pragma once
// The webhook sink's thread: takes deliveries that submit() queued, runs their POSTs on a
// libcurl multi handle, and completes each one exactly once. It owns every libcurl handle
// of the sink; other threads only queue deliveries and call curl_multi_wakeup, which
// libcurl allows from any thread.

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "sink/completion_queue.hpp"
#include "sink/sink.hpp"
#include "sink/webhook_handles.hpp"
#include "sink/webhook_request.hpp"
#include "sink/webhook_signature.hpp"

namespace herald::sink::webhook {

struct WorkerSettings {
  RequestShape shape;  // shape.signer is set by the worker to its own signer
  std::optional<Signer> signer;
  std::size_t max_in_flight = 64;
  int unhealthy_after = 3;
  std::function<std::chrono::system_clock::time_point()> clock;  // never empty
};

class Worker {
 public:
  // Creates the multi handle and starts the thread.
  static Result<std::unique_ptr<Worker>> start(WorkerSettings settings, CompletionQueue& queue);
  Worker(WorkerSettings settings, CompletionQueue& queue, MultiPtr multi);  // use start()
  ~Worker();                                                                // stop({})
  Worker(const Worker&) = delete;
  Worker& operator=(const Worker&) = delete;

  // Queues a delivery; false when max_in_flight are outstanding. Once disabled (410),
  // completes the delivery as Disabled at once and sends nothing.
  bool submit(const Delivery& delivery);

  std::size_t in_flight() const { return in_flight_.load(); }
  bool healthy() const { return no_answer_streak_.load() < settings_.unhealthy_after; }
  bool disabled() const { return disabled_.load(); }

  // Lets requests in flight finish for up to `grace`, completes the rest as Retry, joins.
  void stop(std::chrono::milliseconds grace);

 private:
  void run();
  void start_request(Delivery&& delivery);
  void collect_finished();
  void abandon_all();
  void note_answer(bool answered);
  void disable();
  void finish(std::uint64_t token, Outcome outcome, std::string error,
              std::optional<std::chrono::milliseconds> retry_after = std::nullopt);
  std::string disabled_error() const;

  WorkerSettings settings_;
  CompletionQueue& queue_;
  MultiPtr multi_;
  // Owned by the worker thread: recycled slots and those on the wire, by easy handle.
  std::vector<std::unique_ptr<Request>> idle_;
  std::unordered_map<CURL*, std::unique_ptr<Request>> active_;

  std::mutex mutex_;  // guards pending_ and the stop request
  std::vector<Delivery> pending_;
  bool stop_requested_ = false;
  std::chrono::steady_clock::time_point stop_deadline_;

  std::atomic<std::size_t> in_flight_{0};
  std::atomic<int> no_answer_streak_{0};  // requests in a row without any HTTP answer
  std::atomic<bool> disabled_{false};
  std::thread thread_;  // last: starts after everything above exists
};

}  // namespace herald::sink::webhook
