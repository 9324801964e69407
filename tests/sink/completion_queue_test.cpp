// The completion queue's wake fd: readable exactly while completions wait.

#include "sink/completion_queue.hpp"

#include <poll.h>

#include <gtest/gtest.h>

#include <thread>
#include <vector>

namespace herald::sink {
namespace {

bool readable(int fd) {
  pollfd p{fd, POLLIN, 0};
  return ::poll(&p, 1, 0) == 1;
}

Completion completion(std::uint64_t token) {
  return Completion{token, Outcome::Delivered, "", std::nullopt};
}

TEST(CompletionQueue, WakeFdIsReadableExactlyWhileCompletionsWait) {
  CompletionQueue queue;
  std::vector<Completion> out;
  EXPECT_FALSE(readable(queue.wake_fd()));
  queue.drain(out);  // nothing waiting: nothing to take, still not readable
  EXPECT_TRUE(out.empty());
  EXPECT_FALSE(readable(queue.wake_fd()));

  queue.push(completion(1));
  queue.push(completion(2));
  EXPECT_TRUE(readable(queue.wake_fd()));
  queue.drain(out);
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[0].token, 1u);
  EXPECT_EQ(out[1].token, 2u);
  EXPECT_FALSE(readable(queue.wake_fd()));

  queue.push(completion(3));  // a new burst signals again
  EXPECT_TRUE(readable(queue.wake_fd()));
  queue.drain(out);  // appends
  ASSERT_EQ(out.size(), 3u);
  EXPECT_EQ(out[2].token, 3u);
  EXPECT_FALSE(readable(queue.wake_fd()));
}

TEST(CompletionQueue, NoCompletionIsLeftWaitingWithoutASignal) {
  // A producer thread pushes while this thread waits on the fd and drains: every
  // completion arrives, and the consumer is never left asleep with some waiting.
  CompletionQueue queue;
  constexpr std::uint64_t kCount = 20000;
  std::thread producer([&] {
    for (std::uint64_t i = 1; i <= kCount; ++i) queue.push(completion(i));
  });
  std::vector<Completion> out;
  std::vector<Completion> batch;
  while (out.size() < kCount) {
    pollfd p{queue.wake_fd(), POLLIN, 0};
    ASSERT_EQ(::poll(&p, 1, 5000), 1) << "asleep with " << out.size() << " of " << kCount;
    batch.clear();
    queue.drain(batch);
    out.insert(out.end(), batch.begin(), batch.end());
  }
  producer.join();
  for (std::uint64_t i = 0; i < kCount; ++i) ASSERT_EQ(out[i].token, i + 1);
  EXPECT_FALSE(readable(queue.wake_fd()));
}

}  // namespace
}  // namespace herald::sink
