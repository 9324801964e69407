#pragma once
// The write load of the no-loss tests: rows 1..N inserted one transaction each from several
// client threads, riding out PostgreSQL restarts; and the check that a stream holds each
// row's event exactly once.

#include <gtest/gtest.h>

#include <atomic>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "cli/support_stream_reader.hpp"

namespace herald::testing {

// The table the no-loss tests write, the rule that observes it, and how many threads write.
inline constexpr const char* kItemTable = "CREATE TABLE tb_item (id int PRIMARY KEY, writer int)";
inline constexpr const char* kItemRule = "[[observers]]\ntable = \"tb_item\"\nevent = \"INSERT\"\n";
inline constexpr int kWriterThreads = 4;

// Inserts (id, writer) rows with ids 1..rows into `table`, one single-row transaction per
// INSERT, thread t taking ids t+1, t+1+threads, ... When the server goes away a thread
// reconnects and retries the same row; the INSERT says ON CONFLICT DO NOTHING, so the retry
// of a commit whose answer was lost writes nothing and so makes no second event.
class RowWriters {
 public:
  RowWriters(std::string url, std::string table, int rows, int threads);
  ~RowWriters();  // joins
  RowWriters(const RowWriters&) = delete;
  RowWriters& operator=(const RowWriters&) = delete;

  // Rows committed (or found committed) so far.
  int done() const { return done_.load(); }
  // Waits for every thread; the errors it could not ride out (empty when all went well).
  std::vector<std::string> join();
  // Statements that failed and were retried (server restarts show up here).
  int retries() const { return retries_.load(); }

 private:
  void write(int thread);

  std::string url_;
  std::string table_;
  int rows_;
  int threads_count_;
  std::atomic<int> done_{0};
  std::atomic<int> retries_{0};
  std::mutex errors_mutex_;
  std::vector<std::string> errors_;
  std::vector<std::thread> threads_;
};

// The stream holds exactly one event per id 1..rows: `rows` messages, every id present
// once, no Nats-Msg-Id twice. The failure lists what is missing or repeated.
::testing::AssertionResult holds_each_row_once(const std::vector<StreamMessage>& messages,
                                               int rows);

// The messages' ids increase strictly along the stream: ids begin with the commit LSN (16
// fixed-width hex digits) and then the position in the transaction, so this is commit
// order, kept across replays. The failure names the first pair out of order.
::testing::AssertionResult in_commit_order(const std::vector<StreamMessage>& messages);

}  // namespace herald::testing
