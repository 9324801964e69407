#include "dispatch/retry_schedule.hpp"

#include <gtest/gtest.h>

namespace herald::dispatch {
namespace {

using std::chrono::milliseconds;

config::RetryPolicy policy(config::Backoff b, int initial = 500, int max = 300000) {
  config::RetryPolicy p;
  p.backoff = b;
  p.initial_delay_ms = initial;
  p.max_delay_ms = max;
  return p;
}

TEST(RetryDelay, ExponentialDoublesUpToTheMaximum) {
  auto p = policy(config::Backoff::Exponential);
  // uniform 0.5 = no jitter
  EXPECT_EQ(retry_delay(p, 1, 0.5), milliseconds(500));
  EXPECT_EQ(retry_delay(p, 2, 0.5), milliseconds(1000));
  EXPECT_EQ(retry_delay(p, 3, 0.5), milliseconds(2000));
  EXPECT_EQ(retry_delay(p, 20, 0.5), milliseconds(300000));
  EXPECT_EQ(retry_delay(p, 1000, 0.5), milliseconds(300000));
}

TEST(RetryDelay, LinearAndFixed) {
  EXPECT_EQ(retry_delay(policy(config::Backoff::Linear), 3, 0.5), milliseconds(1500));
  EXPECT_EQ(retry_delay(policy(config::Backoff::Fixed), 7, 0.5), milliseconds(500));
}

TEST(RetryDelay, JitterIsPlusMinusTwentyPercent) {
  auto p = policy(config::Backoff::Fixed, 1000);
  EXPECT_EQ(retry_delay(p, 1, 0.0), milliseconds(800));
  EXPECT_EQ(retry_delay(p, 1, 0.999999), milliseconds(1200));
}

TEST(RetryDelay, RetryAfterWinsButStaysUnderTheMaximum) {
  auto p = policy(config::Backoff::Fixed, 1000, 60000);
  EXPECT_EQ(retry_delay(p, 1, 0.5, milliseconds(7000)), milliseconds(7000));
  EXPECT_EQ(retry_delay(p, 1, 0.5, milliseconds(100)), milliseconds(1000));
  EXPECT_EQ(retry_delay(p, 1, 0.5, milliseconds(3600000)), milliseconds(60000));
}

TEST(RetryDelay, AttemptBudget) {
  config::RetryPolicy p;
  p.max_attempts = 3;
  EXPECT_TRUE(may_retry(p, 1));
  EXPECT_TRUE(may_retry(p, 2));
  EXPECT_FALSE(may_retry(p, 3));
}

}  // namespace
}  // namespace herald::dispatch
