#pragma once
// Delivers parked deliveries when they are due. Runs on its own thread with its own
// database connection and its own sinks, so it never slows capture. Several herald
// processes may run workers on one database: rows are leased with SKIP LOCKED.

#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "common/metrics.hpp"
#include "dispatch/retry_store.hpp"
#include "dispatch/target.hpp"
#include "sink/completion_queue.hpp"

namespace herald::dispatch {

class RetryWorker {
 public:
  using SinkFactory =
      std::function<Result<std::unique_ptr<sink::Sink>>(const Target&, sink::CompletionQueue&)>;
  using DeadLetterObserver = std::function<void(const DeadLetter&)>;

  struct Settings {
    std::string conninfo;
    std::chrono::milliseconds poll_interval{200};
    // A claimed row is someone else's to take after this long (a crashed worker).
    std::chrono::milliseconds lease{60000};
    int batch = 256;
  };

  RetryWorker(Settings settings, std::vector<const Target*> targets, SinkFactory make_sink,
              DeadLetterObserver on_dead);
  ~RetryWorker();
  RetryWorker(const RetryWorker&) = delete;
  RetryWorker& operator=(const RetryWorker&) = delete;

  // Counts its deliveries by outcome, dead letters and latency (commit to acknowledgement)
  // as the dispatcher does for first tries (may be null). Before start().
  void set_metrics(HeraldMetrics* metrics) { metrics_ = metrics; }

  void start();
  // Stops taking rows and waits (up to `grace`) for deliveries in flight; rows still
  // leased are taken again after their lease.
  void stop(std::chrono::milliseconds grace);

  std::uint64_t delivered() const { return delivered_.load(); }
  std::uint64_t dead() const { return dead_.load(); }

 private:
  struct Lane {
    const Target* target = nullptr;
    std::unique_ptr<sink::Sink> sink;
  };
  struct Claimed {
    RetryRow row;
    Lane* lane = nullptr;
  };

  void run();
  bool step(RetryStore& store);
  void settle_completions(RetryStore& store);
  void bury(RetryStore& store, const RetryRow& row, int attempts, const std::string& error);
  Lane* lane_for(const OrderKey& key);
  void count(const OrderKey& key, const char* outcome);
  void observe_latency(const RetryRow& row);

  Settings settings_;
  std::vector<const Target*> targets_;
  SinkFactory make_sink_;
  DeadLetterObserver on_dead_;
  HeraldMetrics* metrics_ = nullptr;
  sink::CompletionQueue completions_;
  std::map<std::pair<std::string, int>, Lane> lanes_;
  std::map<std::uint64_t, Claimed> in_flight_;
  std::vector<sink::Completion> drained_;
  std::uint64_t next_token_ = 1;
  std::mt19937_64 rng_{std::random_device{}()};
  std::atomic<bool> stopping_{false};
  std::atomic<std::uint64_t> delivered_{0};
  std::atomic<std::uint64_t> dead_{0};
  std::chrono::milliseconds grace_{0};
  std::thread thread_;
};

}  // namespace herald::dispatch
