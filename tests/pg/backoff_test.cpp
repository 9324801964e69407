#include "pg/backoff.hpp"

#include <gtest/gtest.h>

#include <vector>

namespace herald::pg {
namespace {

using std::chrono::milliseconds;

// A clock the test moves by hand and a "random" source that replays fixed values.
struct FakeTime {
  Backoff::Clock::time_point now{std::chrono::hours(1)};
};

Backoff make_backoff(FakeTime& time, double uniform, Backoff::Settings settings = {}) {
  return Backoff(
      settings, [&time] { return time.now; }, [uniform] { return uniform; });
}

TEST(Backoff, DoublesFromInitialUpToTheCapWithoutJitterAtMidpoint) {
  FakeTime time;
  // uniform 0.5 is the middle of the jitter range: no spread.
  Backoff backoff = make_backoff(time, 0.5, {milliseconds(100), milliseconds(1000), 2.0, 0.2});
  std::vector<long> delays;
  for (int i = 0; i < 6; ++i) delays.push_back(backoff.on_failure().count());
  EXPECT_EQ(delays, (std::vector<long>{100, 200, 400, 800, 1000, 1000}));
  EXPECT_EQ(backoff.failures(), 6);
}

TEST(Backoff, JitterSpreadsBothWaysByTheConfiguredFraction) {
  FakeTime time;
  Backoff low = make_backoff(time, 0.0, {milliseconds(1000), milliseconds(60000), 2.0, 0.2});
  Backoff high = make_backoff(time, 0.75, {milliseconds(1000), milliseconds(60000), 2.0, 0.2});
  EXPECT_EQ(low.on_failure(), milliseconds(800));    // 1000 * (1 - 0.2)
  EXPECT_EQ(low.on_failure(), milliseconds(1600));   // 2000 * (1 - 0.2)
  EXPECT_EQ(high.on_failure(), milliseconds(1100));  // 1000 * (1 + 0.2 * 0.5)
}

TEST(Backoff, JitterNeverExceedsTheCap) {
  FakeTime time;
  Backoff backoff = make_backoff(time, 0.999, {milliseconds(100), milliseconds(500), 2.0, 0.5});
  for (int i = 0; i < 10; ++i) EXPECT_LE(backoff.on_failure(), milliseconds(500));
}

TEST(Backoff, SurvivesManyFailuresWithoutOverflow) {
  FakeTime time;
  Backoff backoff = make_backoff(time, 0.5, {milliseconds(100), milliseconds(30000), 2.0, 0.2});
  for (int i = 0; i < 5000; ++i) (void)backoff.on_failure();
  EXPECT_EQ(backoff.on_failure(), milliseconds(30000));
}

TEST(Backoff, ReadyOnlyAfterTheChosenDelayHasPassed) {
  FakeTime time;
  Backoff backoff = make_backoff(time, 0.5, {milliseconds(100), milliseconds(1000), 2.0, 0.2});
  EXPECT_TRUE(backoff.ready());
  EXPECT_EQ(backoff.remaining(), milliseconds(0));
  EXPECT_EQ(backoff.on_failure(), milliseconds(100));
  EXPECT_FALSE(backoff.ready());
  EXPECT_EQ(backoff.remaining(), milliseconds(100));
  time.now += milliseconds(99);
  EXPECT_FALSE(backoff.ready());
  EXPECT_EQ(backoff.remaining(), milliseconds(1));
  time.now += milliseconds(1);
  EXPECT_TRUE(backoff.ready());
  EXPECT_EQ(backoff.remaining(), milliseconds(0));
}

TEST(Backoff, SuccessStartsOverFromInitial) {
  FakeTime time;
  Backoff backoff = make_backoff(time, 0.5, {milliseconds(100), milliseconds(1000), 2.0, 0.2});
  (void)backoff.on_failure();
  (void)backoff.on_failure();
  backoff.on_success();
  EXPECT_EQ(backoff.failures(), 0);
  EXPECT_TRUE(backoff.ready());
  EXPECT_EQ(backoff.on_failure(), milliseconds(100));
}

TEST(Backoff, NormalisesNonsenseSettings) {
  FakeTime time;
  // max below initial, multiplier below 1, jitter above 1.
  Backoff backoff = make_backoff(time, 0.0, {milliseconds(200), milliseconds(50), 0.5, 3.0});
  // jitter clamps to 1.0 and uniform 0 gives the minimum, 1 ms; max rises to initial.
  EXPECT_EQ(backoff.on_failure(), milliseconds(1));
  Backoff steady = make_backoff(time, 0.5, {milliseconds(200), milliseconds(50), 0.5, 0.0});
  EXPECT_EQ(steady.on_failure(), milliseconds(200));
  EXPECT_EQ(steady.on_failure(), milliseconds(200));
}

TEST(Backoff, SystemBackoffStaysWithinJitterBounds) {
  Backoff backoff = Backoff::system({milliseconds(1000), milliseconds(1000), 2.0, 0.2});
  for (int i = 0; i < 100; ++i) {
    const auto delay = backoff.on_failure();
    EXPECT_GE(delay, milliseconds(800));
    EXPECT_LE(delay, milliseconds(1000));
  }
}

}  // namespace
}  // namespace herald::pg
