// Integration: the replication stream against a server of its own that the test slows
// down, stops and kills: keepalives, a server restart, a crash, reconnecting.

#include <gtest/gtest.h>

#include "pg/backoff.hpp"
#include "pg/replication_stream.hpp"
#include "pg/slots.hpp"
#include "pg_test_helpers.hpp"
#include "support/servers.hpp"

namespace herald::pg {
namespace {

using herald::testing::eventually;
using herald::testing::PostgresOptions;
using herald::testing::PostgresServer;
using herald::testing::StopMode;
using std::chrono::milliseconds;
using std::chrono::seconds;
using test::connect_or_die;
using test::read_transaction;
using test::stream_or_die;

void prepare(PostgresServer& server, const std::vector<std::string>& slots) {
  server.exec(
      "CREATE TABLE tb_order (id int PRIMARY KEY); "
      "CREATE PUBLICATION herald_pub FOR TABLE tb_order");
  Connection sql = connect_or_die(server.url());
  for (const auto& slot : slots) {
    auto created = create_logical_slot(sql, slot);
    ASSERT_TRUE(created.ok()) << created.error().message;
  }
}

StartOptions publication() {
  StartOptions options;
  options.publication_names = {"herald_pub"};
  options.status_interval = std::chrono::hours(1);  // only keepalive replies keep it alive
  return options;
}

bool walsender_alive(PostgresServer& server, int pid) {
  return server.scalar("SELECT count(*) FROM pg_stat_replication WHERE pid = " +
                       std::to_string(pid)) == "1";
}

// Reconnects as herald will: Backoff between attempts until the stream starts.
ReplicationStream reconnect(PostgresServer& server, const std::string& slot) {
  Backoff backoff = Backoff::system({milliseconds(20), milliseconds(500), 2.0, 0.2});
  std::string last_error;
  const auto give_up = std::chrono::steady_clock::now() + seconds(30);
  while (std::chrono::steady_clock::now() < give_up) {
    while (!backoff.ready()) std::this_thread::sleep_for(backoff.remaining());
    auto stream = ReplicationStream::connect(server.url());
    if (stream) {
      auto started = stream->start(slot, Lsn(), publication());
      if (started) return std::move(stream).value();
      last_error = started.error().message;
    } else {
      last_error = stream.error().message;
    }
    (void)backoff.on_failure();
  }
  ADD_FAILURE() << "could not reconnect: " << last_error;
  std::abort();
}

TEST(ReplicationOutage, KeepaliveRepliesOutliveAShortWalSenderTimeout) {
  PostgresServer server(PostgresOptions().with_setting("wal_sender_timeout", "2s"));
  prepare(server, {"polled", "neglected"});
  ReplicationStream polled = stream_or_die(server.url());
  ReplicationStream neglected = stream_or_die(server.url());
  ASSERT_TRUE(polled.start("polled", Lsn(), publication()).ok());
  ASSERT_TRUE(neglected.start("neglected", Lsn(), publication()).ok());
  const int neglected_pid = neglected.connection().backend_pid();

  // Poll (and so answer keepalives) until the server has given up on the stream that
  // nobody polls: the timeout is real, and the polled stream outlives it.
  int replies_requested = 0;
  ASSERT_TRUE(eventually(
      [&] {
        auto message = polled.poll(milliseconds(200));
        EXPECT_TRUE(message.ok()) << message.error().message;
        if (message.ok() && message->has_value()) {
          if (const auto* keepalive = std::get_if<PrimaryKeepalive>(&**message)) {
            replies_requested += keepalive->reply_requested ? 1 : 0;
          }
        }
        return !walsender_alive(server, neglected_pid);
      },
      seconds(20)));
  EXPECT_GE(replies_requested, 1);
  // Keep answering for two more timeouts' worth of keepalives.
  const int seen = replies_requested;
  ASSERT_TRUE(eventually(
      [&] {
        auto message = polled.poll(milliseconds(200));
        EXPECT_TRUE(message.ok()) << message.error().message;
        if (message.ok() && message->has_value()) {
          if (const auto* keepalive = std::get_if<PrimaryKeepalive>(&**message)) {
            replies_requested += keepalive->reply_requested ? 1 : 0;
          }
        }
        return replies_requested >= seen + 2;
      },
      seconds(20)));
  EXPECT_TRUE(walsender_alive(server, polled.connection().backend_pid()));
  server.exec("INSERT INTO tb_order VALUES (1)");
  EXPECT_EQ(read_transaction(polled, seconds(10)).types, "BRIC");

  // The neglected stream finds out once it reads past what was buffered before the end.
  std::optional<Error> late;
  ASSERT_TRUE(eventually([&] {
    auto message = neglected.poll(milliseconds(200));
    if (!message.ok()) late = message.error();
    return late.has_value();
  }));
  EXPECT_TRUE(late->connection_lost()) << late->message;
}

TEST(ReplicationOutage, ServerRestartEndsTheStreamWithAnErrorAndReconnectResumes) {
  PostgresServer server;
  prepare(server, {"herald"});
  ReplicationStream stream = stream_or_die(server.url());
  ASSERT_TRUE(stream.start("herald", Lsn(), publication()).ok());
  server.exec("INSERT INTO tb_order VALUES (1)");
  const auto first = read_transaction(stream, seconds(10));
  ASSERT_EQ(first.types, "BRIC");
  stream.confirm(first.commit_end);
  ASSERT_TRUE(stream.send_status_now().ok());

  server.stop(StopMode::Fast);
  std::optional<Error> failure;
  ASSERT_TRUE(eventually([&] {
    auto message = stream.poll(milliseconds(200));
    if (!message.ok()) failure = message.error();
    return failure.has_value();
  }));
  EXPECT_TRUE(failure->connection_lost()) << failure->message;
  EXPECT_NE(failure->message.find("herald"), std::string::npos) << failure->message;
  EXPECT_FALSE(stream.is_streaming());
  EXPECT_EQ(stream.poll(milliseconds(1)).error().kind, ErrorKind::Usage);

  server.start();
  ReplicationStream resumed = reconnect(server, "herald");
  server.exec("INSERT INTO tb_order VALUES (2), (3)");
  // The new transaction arrives. The confirmed first one may come once more:
  // PostgreSQL 15 writes a slot's confirmed_flush_lsn to disk only when the slot is
  // dirty for other reasons (fixed in 17), so a clean restart can rewind it to the last
  // saved position. Never later than confirmed, never skipping: at-least-once.
  auto next = read_transaction(resumed, seconds(10));
  if (next.types == "BRIC") {
    EXPECT_EQ(next.commit_end, first.commit_end);
    next = read_transaction(resumed, seconds(10));
    EXPECT_EQ(next.types, "BIIC");
  } else {
    EXPECT_EQ(next.types, "BRIIC");
  }
  EXPECT_GT(next.commit_end, first.commit_end);
}

TEST(ReplicationOutage, CrashedServerIsAConnectionErrorAndReconnectRedeliversUnconfirmedWork) {
  PostgresServer server;
  prepare(server, {"herald"});
  ReplicationStream stream = stream_or_die(server.url());
  ASSERT_TRUE(stream.start("herald", Lsn(), publication()).ok());
  server.exec("INSERT INTO tb_order VALUES (1)");
  ASSERT_EQ(read_transaction(stream, seconds(10)).types, "BRIC");  // not confirmed

  server.kill();
  std::optional<Error> failure;
  ASSERT_TRUE(eventually([&] {
    auto message = stream.poll(milliseconds(200));
    if (!message.ok()) failure = message.error();
    return failure.has_value();
  }));
  EXPECT_TRUE(failure->connection_lost()) << failure->message;

  server.start();
  ReplicationStream resumed = reconnect(server, "herald");
  EXPECT_EQ(read_transaction(resumed, seconds(10)).types, "BRIC");  // delivered again
}

}  // namespace
}  // namespace herald::pg
