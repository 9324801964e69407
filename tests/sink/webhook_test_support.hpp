#pragma once
// Helpers for the webhook sink's tests: settings aimed at a test receiver, a clock the
// test sets, and waiting for completions (by polling the queue's eventfd, never sleeping).

#include <gtest/gtest.h>
#include <poll.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "sink/completion_queue.hpp"
#include "sink/webhook_sink.hpp"

namespace herald::testing {

// A clock that stands still where the test puts it (webhook-timestamp, HTTP-dates).
class FakeClock {
 public:
  explicit FakeClock(std::int64_t unix_seconds) : seconds_(unix_seconds) {}
  void set(std::int64_t unix_seconds) { seconds_ = unix_seconds; }
  std::chrono::system_clock::time_point now() const {
    return std::chrono::system_clock::time_point(std::chrono::seconds(seconds_.load()));
  }
  // For WebhookSinkSettings::clock; the FakeClock must outlive the sink.
  std::function<std::chrono::system_clock::time_point()> function() const {
    return [this] { return now(); };
  }

 private:
  std::atomic<std::int64_t> seconds_;
};

inline sink::WebhookSinkSettings webhook_settings(const std::string& url) {
  sink::WebhookSinkSettings settings;
  settings.url = url;
  settings.timeout = std::chrono::seconds(10);
  return settings;
}

inline sink::Delivery webhook_delivery(std::uint64_t token, std::string event_id,
                                       std::string payload) {
  return sink::Delivery{token, std::move(event_id), "", std::move(payload)};
}

// Drains the queue into `done` until it holds at least `count` completions.
inline ::testing::AssertionResult collect_completions(
    sink::CompletionQueue& queue, std::vector<sink::Completion>& done, std::size_t count,
    std::chrono::milliseconds timeout = std::chrono::seconds(30)) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  queue.drain(done);
  while (done.size() < count) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      return ::testing::AssertionFailure()
             << "only " << done.size() << " of " << count << " completions arrived";
    }
    pollfd entry{queue.wake_fd(), POLLIN, 0};
    ::poll(&entry, 1, static_cast<int>(left.count()));
    queue.drain(done);
  }
  return ::testing::AssertionSuccess();
}

// Submits, draining completions into `done` while the window is full.
inline ::testing::AssertionResult submit_waiting(sink::Sink& sink, sink::CompletionQueue& queue,
                                                 const sink::Delivery& delivery,
                                                 std::vector<sink::Completion>& done) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (!sink.submit(delivery)) {
    if (std::chrono::steady_clock::now() > deadline) {
      return ::testing::AssertionFailure() << "the window stayed full for 30 s";
    }
    pollfd entry{queue.wake_fd(), POLLIN, 0};
    ::poll(&entry, 1, 100);
    queue.drain(done);
  }
  return ::testing::AssertionSuccess();
}

// Submits one delivery and waits for its completion.
inline sink::Completion deliver_one(sink::Sink& sink, sink::CompletionQueue& queue,
                                    const sink::Delivery& delivery) {
  std::vector<sink::Completion> done;
  EXPECT_TRUE(sink.submit(delivery)) << "the window is full";
  EXPECT_TRUE(collect_completions(queue, done, 1));
  EXPECT_EQ(done.size(), 1U) << "more completions than deliveries";
  if (done.empty()) return sink::Completion{delivery.token, sink::Outcome::Retry, "(none)", {}};
  EXPECT_EQ(done.front().token, delivery.token);
  return done.front();
}

}  // namespace herald::testing
