// No loss, no duplicates (SPEC section 4): single-row transactions from several clients
// while `herald run` is SIGKILLed and restarted; afterwards the JetStream stream holds
// exactly one message per row. And SIGTERM drains: what herald confirmed to PostgreSQL is
// exactly what it delivered. (Server outages: run_outage_test.cpp.)

#include <gtest/gtest.h>

#include <csignal>
#include <cstdio>
#include <string>
#include <thread>

#include <fmt/format.h>

#include "cli/support_row_writers.hpp"
#include "cli/support_run_fixture.hpp"

namespace herald::testing {
namespace {

using namespace std::chrono_literals;

std::uint64_t count_of(const std::string& nats_url, const std::string& stream) {
  return stream_message_count(nats_url, stream).value_or(0);
}

class NoLossTest : public HeraldRunTest {
 protected:
  // Waits until `stream` holds `count` messages, stops herald with SIGTERM (so that
  // nothing still in flight can land after the stream is read) and reads the stream.
  void stop_and_read(const std::string& stream, std::uint64_t count,
                     std::vector<StreamMessage>& messages) {
    ASSERT_TRUE(wait_for_stream_count(nats_url(), stream, count, 60s))
        << count_of(nats_url(), stream) << " of " << count << "\n"
        << herald_->log_tail();
    const auto stopped = herald_->terminate();
    ASSERT_TRUE(stopped && stopped->exited_with(0)) << herald_->log_tail();
    messages = read_stream(nats_url(), stream);
  }
};

TEST_F(NoLossTest, SigkillTwiceMidStreamLosesAndRepeatsNothing) {
  constexpr int kRows = 20000;
  db_.exec(kItemTable);
  ASSERT_NO_FATAL_FAILURE(start_herald(kItemRule));
  const std::string stream = config_->stream();

  RowWriters writers(db_.url(), "tb_item", kRows, kWriterThreads);
  // Kill herald while events flow: once the stream has some of them, and again once it has
  // grown well past the point of the first kill (after a restart that replays from the slot).
  std::vector<std::uint64_t> killed_at;
  for (std::uint64_t threshold : {3000u, 9000u}) {
    ASSERT_TRUE(eventually([&] { return count_of(nats_url(), stream) >= threshold; }, 60s, 5ms))
        << herald_->log_tail();
    const ExitStatus status = herald_->kill();
    ASSERT_TRUE(status.killed_by(SIGKILL)) << status << "\n" << herald_->log_tail();
    killed_at.push_back(count_of(nats_url(), stream));
    ASSERT_TRUE(herald_->start());
  }
  const auto errors = writers.join();
  ASSERT_TRUE(errors.empty()) << errors.front();
  ASSERT_EQ(db_.scalar("SELECT count(*) FROM tb_item"), std::to_string(kRows));

  std::vector<StreamMessage> messages;
  ASSERT_NO_FATAL_FAILURE(stop_and_read(stream, kRows, messages));
  EXPECT_TRUE(holds_each_row_once(messages, kRows));
  EXPECT_TRUE(in_commit_order(messages));
  EXPECT_EQ(herald_->starts(), 3);
  // Each kill hit herald mid-stream: after some events and before the last.
  std::printf("[   info   ] killed at %llu and %llu of %d events\n",
              static_cast<unsigned long long>(killed_at.at(0)),
              static_cast<unsigned long long>(killed_at.at(1)), kRows);
  for (auto at : killed_at) {
    EXPECT_GT(at, 0u);
    EXPECT_LT(at, static_cast<std::uint64_t>(kRows)) << "a kill came after the last event";
  }
}

TEST_F(NoLossTest, AnotherPublisherOnTheStreamCostsReplaysNotEvents) {
  // herald links its publishes while it is the stream's only publisher (docs/delivery.md);
  // messages of somebody else's in between break the chain, and the replay that follows
  // must neither lose nor repeat an event.
  constexpr int kRows = 6000;
  db_.exec(kItemTable);
  ASSERT_NO_FATAL_FAILURE(start_herald(kItemRule));
  const std::string stream = config_->stream();

  RowWriters writers(db_.url(), "tb_item", kRows, kWriterThreads);
  int foreign = 0;
  for (std::uint64_t threshold : {1500u, 3000u, 4500u}) {
    ASSERT_TRUE(eventually([&] { return count_of(nats_url(), stream) >= threshold; }, 60s, 2ms))
        << herald_->log_tail();
    publish_to_stream(nats_url(), prefix() + ".elsewhere.noted", R"({"from":"another app"})");
    ++foreign;
  }
  const auto errors = writers.join();
  ASSERT_TRUE(errors.empty()) << errors.front();

  std::vector<StreamMessage> messages;
  ASSERT_NO_FATAL_FAILURE(stop_and_read(stream, kRows + foreign, messages));
  std::erase_if(messages,
                [&](const StreamMessage& m) { return m.subject == prefix() + ".elsewhere.noted"; });
  EXPECT_TRUE(holds_each_row_once(messages, kRows));
  EXPECT_TRUE(in_commit_order(messages));
  // The chain was on and broke: herald logged it and replayed from the slot.
  EXPECT_NE(herald_->log_since_start().find("the chain of publishes broke"), std::string::npos)
      << herald_->log_tail();
}

TEST_F(NoLossTest, SigtermDrainsAndConfirmsExactlyWhatWasDelivered) {
  constexpr int kRows = 8000;
  db_.exec(kItemTable);
  ASSERT_NO_FATAL_FAILURE(start_herald(kItemRule));
  const std::string stream = config_->stream();

  RowWriters writers(db_.url(), "tb_item", kRows, kWriterThreads);
  ASSERT_TRUE(eventually([&] { return count_of(nats_url(), stream) >= 2000; }, 60s, 5ms));
  const auto stopped = herald_->terminate();
  ASSERT_TRUE(stopped.has_value()) << "herald did not exit after SIGTERM:\n" << herald_->log_tail();
  EXPECT_TRUE(stopped->exited_with(0)) << *stopped << "\n" << herald_->log_tail();
  EXPECT_EQ(herald_->log_since_start().find("still in flight at shutdown"), std::string::npos)
      << herald_->log_since_start();
  const std::uint64_t delivered_before_exit = count_of(nats_url(), stream);
  const std::string confirmed =
      db_.scalar("SELECT confirmed_flush_lsn FROM pg_replication_slots WHERE slot_name = " +
                 pg_quote_literal(config_->names().slot))
          .value_or("");
  ASSERT_TRUE(writers.join().empty());

  // Start again: the rest arrives, nothing twice.
  ASSERT_TRUE(herald_->start());
  ASSERT_TRUE(wait_for_stream_count(nats_url(), stream, kRows, 60s)) << herald_->log_tail();
  ASSERT_TRUE(herald_->terminate().value_or(ExitStatus{}).exited_with(0)) << herald_->log_tail();
  const auto messages = read_stream(nats_url(), stream);
  EXPECT_TRUE(holds_each_row_once(messages, kRows));
  EXPECT_TRUE(in_commit_order(messages));

  // What herald confirmed at exit is exactly what it had delivered: every event committed
  // below the confirmed position was in the stream before the exit, and none above it.
  const std::uint64_t confirmed_lsn = parse_lsn(confirmed);
  std::uint64_t committed_below = 0;
  for (const auto& m : messages) {
    if (parse_lsn(m.body["lsn"].get<std::string>()) < confirmed_lsn) {
      ++committed_below;
      ASSERT_LE(m.sequence, delivered_before_exit) << "confirmed " << confirmed << ": " << m.data;
    } else {
      ASSERT_GT(m.sequence, delivered_before_exit) << "confirmed " << confirmed << ": " << m.data;
    }
  }
  EXPECT_EQ(committed_below, delivered_before_exit) << "confirmed " << confirmed;
}

}  // namespace
}  // namespace herald::testing
