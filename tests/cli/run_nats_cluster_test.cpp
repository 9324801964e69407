// herald on a NATS cluster (SPEC section 4): its stream replicated on three servers,
// `nats_url` listing them all, and the server herald publishes through crashes
// mid-stream. herald goes on through another server of the list, and the stream holds
// exactly one message per row, in commit order.

#include <gtest/gtest.h>

#include <cstdio>
#include <string>

#include "cli/support_row_writers.hpp"
#include "cli/support_run_fixture.hpp"
#include "support/nats_cluster.hpp"

namespace herald::testing {
namespace {

using namespace std::chrono_literals;

constexpr int kRows = 12000;

TEST(NatsClusterFailover, TheServerHeraldPublishesThroughCrashesMidStream) {
  NatsCluster cluster;
  TestDatabase db;
  db.exec(kItemTable);
  HeraldConfig config(db.url(), cluster.urls(), kItemRule);
  // Replicated as an operator would set it up; herald keeps the replicas it finds.
  create_stream(cluster.server(0).url(), config.stream(), {config.prefix() + ".>"},
                static_cast<int>(NatsCluster::kSize));
  HeraldProcess herald(config.path());
  ASSERT_TRUE(herald.start());

  RowWriters writers(db.url(), "tb_item", kRows, kWriterThreads);
  std::optional<std::size_t> served;
  ASSERT_TRUE(eventually([&] { return (served = cluster.serving("herald")).has_value(); }, 20s))
      << herald.log_tail();
  const std::string survivor = cluster.server((*served + 1) % NatsCluster::kSize).url();
  ASSERT_TRUE(eventually(
      [&] { return stream_message_count(survivor, config.stream()).value_or(0) >= 2000; }, 60s,
      5ms))
      << herald.log_tail();
  const std::uint64_t published_at_crash =
      stream_message_count(survivor, config.stream()).value_or(0);
  cluster.server(*served).kill();

  ASSERT_TRUE(writers.join().empty());
  ASSERT_TRUE(wait_for_stream_count(survivor, config.stream(), kRows, 90s))
      << stream_message_count(survivor, config.stream()).value_or(0) << " of " << kRows << "\n"
      << herald.log_tail();
  const auto now_served = cluster.serving("herald");
  ASSERT_TRUE(now_served.has_value()) << herald.log_tail();
  EXPECT_NE(*now_served, *served);
  ASSERT_TRUE(herald.terminate().value_or(ExitStatus{}).exited_with(0)) << herald.log_tail();

  const auto messages = read_stream(survivor, config.stream());
  EXPECT_TRUE(holds_each_row_once(messages, kRows)) << herald.log_tail(60);
  EXPECT_TRUE(in_commit_order(messages)) << herald.log_tail(60);
  EXPECT_EQ(herald.starts(), 1) << "herald went on without a restart";
  EXPECT_LT(published_at_crash, static_cast<std::uint64_t>(kRows)) << "the crash came too late";
  std::printf("[   info   ] server %zu of the cluster crashed at %llu of %d events\n", *served,
              static_cast<unsigned long long>(published_at_crash), kRows);
}

}  // namespace
}  // namespace herald::testing
