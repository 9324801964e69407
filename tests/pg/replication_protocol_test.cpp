// The replication stream against a scripted fake walsender: exact bytes of what the
// client sends, and how it treats a peer that misbehaves.

#include <gtest/gtest.h>

#include <future>

#include "fake_walsender.hpp"
#include "pg/replication_stream.hpp"

namespace herald::pg {
namespace {

using std::chrono::milliseconds;
using test::be64;
using test::FakePeer;
using test::FakeWalSender;
using test::FrontendMessage;
using test::read_be64;

std::string keepalive(std::uint64_t wal_end, bool reply) {
  std::string out = "k";  // appended: GCC 12 -O2 misreads "k" + std::string&& (-Wrestrict)
  out += be64(wal_end);
  out += be64(0);
  out += reply ? '\1' : '\0';
  return out;
}

std::string xlog_data(std::uint64_t start, std::uint64_t end, const std::string& payload) {
  std::string out = "w";
  out += be64(start);
  out += be64(end);
  out += be64(0);
  out += payload;
  return out;
}

// Accepts the startup and START_REPLICATION; returns the command text.
std::string begin_streaming(FakePeer& peer) {
  peer.accept_startup();
  auto query = peer.read_message();
  if (!query || query->type != 'Q') return "";
  peer.send_copy_both();
  return query->body;
}

StartOptions options(milliseconds status_interval = milliseconds(3'600'000)) {
  StartOptions start;
  start.publication_names = {"pub", "Other Pub"};
  start.status_interval = status_interval;
  return start;
}

ReplicationStream started_stream(const FakeWalSender& fake, Lsn start_lsn,
                                 StartOptions start = options()) {
  auto stream = ReplicationStream::connect(fake.conninfo());
  EXPECT_TRUE(stream.ok()) << stream.error().message;
  auto started = stream->start("herald", start_lsn, start);
  EXPECT_TRUE(started.ok()) << started.error().message;
  return std::move(stream).value();
}

TEST(ReplicationProtocol, StartCommandQuotesPublicationsAndStartsAtTheGivenLsn) {
  std::promise<std::string> command;
  FakeWalSender fake([&](FakePeer& peer) { command.set_value(begin_streaming(peer)); });
  ReplicationStream stream = started_stream(fake, Lsn(0x16'B374D848ULL));
  EXPECT_EQ(command.get_future().get(),
            std::string("START_REPLICATION SLOT herald LOGICAL 16/B374D848 (proto_version '1', "
                        "publication_names 'pub,\"Other Pub\"', messages 'true')") +
                '\0');
}

TEST(ReplicationProtocol, KeepaliveReplyReportsOnlyConfirmedPositionsAsFlushed) {
  std::promise<std::string> reply;
  FakeWalSender fake([&](FakePeer& peer) {
    begin_streaming(peer);
    peer.send_copy_data(xlog_data(0x300, 0x400, "B"));
    peer.send_copy_data(keepalive(0x500, true));
    auto message = peer.read_message();
    reply.set_value(message && message->type == 'd' ? message->body : "");
  });
  ReplicationStream stream = started_stream(fake, Lsn(0x100));
  stream.confirm(Lsn(0x200));
  auto data = stream.poll(milliseconds(5000));
  ASSERT_TRUE(data.ok() && data->has_value()) << (data.ok() ? "timeout" : data.error().message);
  const auto& xlog = std::get<XLogData>(**data);
  EXPECT_EQ(xlog.wal_start, Lsn(0x300));
  ASSERT_EQ(xlog.payload.size(), 1u);
  EXPECT_EQ(xlog.payload[0], std::byte{'B'});
  auto ping = stream.poll(milliseconds(5000));
  ASSERT_TRUE(ping.ok() && ping->has_value());
  EXPECT_TRUE(std::get<PrimaryKeepalive>(**ping).reply_requested);

  const std::string bytes = reply.get_future().get();
  ASSERT_EQ(bytes.size(), 34u);
  EXPECT_EQ(bytes[0], 'r');
  EXPECT_EQ(read_be64(bytes, 1), 0x500u);   // written: everything the server announced
  EXPECT_EQ(read_be64(bytes, 9), 0x200u);   // flushed: only what the caller confirmed
  EXPECT_EQ(read_be64(bytes, 17), 0x200u);  // applied
  const auto sent_at = from_pg_timestamp(static_cast<PgTimestamp>(read_be64(bytes, 25)));
  EXPECT_LT(std::chrono::abs(std::chrono::system_clock::now() - sent_at), std::chrono::minutes(1));
  EXPECT_EQ(bytes[33], '\0');  // the client does not ask the server for a reply
  EXPECT_EQ(stream.last_received(), Lsn(0x500));
}

TEST(ReplicationProtocol, IdleStreamSendsPeriodicStatusUpdates) {
  std::promise<int> updates;
  FakeWalSender fake([&](FakePeer& peer) {
    begin_streaming(peer);
    int count = 0;
    while (count < 3) {
      auto message = peer.read_message();
      if (!message) break;
      if (message->type == 'd' && !message->body.empty() && message->body[0] == 'r') ++count;
    }
    updates.set_value(count);
    while (peer.read_message()) {
    }  // until the client hangs up
  });
  ReplicationStream stream = started_stream(fake, Lsn(0x100), options(milliseconds(20)));
  auto counted = updates.get_future();
  while (counted.wait_for(milliseconds(0)) != std::future_status::ready) {
    auto message = stream.poll(milliseconds(50));
    ASSERT_TRUE(message.ok()) << message.error().message;
    EXPECT_FALSE(message->has_value());
  }
  EXPECT_EQ(counted.get(), 3);
}

TEST(ReplicationProtocol, UnknownMessageTypeIsAProtocolError) {
  FakeWalSender fake([&](FakePeer& peer) {
    begin_streaming(peer);
    peer.send_copy_data("x123");
    peer.read_message();  // until the client goes away
  });
  ReplicationStream stream = started_stream(fake, Lsn());
  auto message = stream.poll(milliseconds(5000));
  ASSERT_FALSE(message.ok());
  EXPECT_EQ(message.error().kind, ErrorKind::Protocol);
  EXPECT_NE(message.error().message.find("0x78"), std::string::npos) << message.error().message;
  EXPECT_FALSE(stream.is_streaming());
}

TEST(ReplicationProtocol, TruncatedKeepaliveIsAProtocolError) {
  FakeWalSender fake([&](FakePeer& peer) {
    begin_streaming(peer);
    peer.send_copy_data(keepalive(1, true).substr(0, 10));
    peer.read_message();
  });
  ReplicationStream stream = started_stream(fake, Lsn());
  auto message = stream.poll(milliseconds(5000));
  ASSERT_FALSE(message.ok());
  EXPECT_EQ(message.error().kind, ErrorKind::Protocol) << message.error().message;
}

TEST(ReplicationProtocol, PeerClosingMidStreamIsALostConnection) {
  FakeWalSender fake([&](FakePeer& peer) {
    begin_streaming(peer);
    peer.send_copy_data(keepalive(1, false));
    peer.close();
  });
  ReplicationStream stream = started_stream(fake, Lsn());
  auto first = stream.poll(milliseconds(5000));
  ASSERT_TRUE(first.ok() && first->has_value());  // what arrived before the close is kept
  auto second = stream.poll(milliseconds(5000));
  ASSERT_FALSE(second.ok());
  EXPECT_TRUE(second.error().connection_lost()) << second.error().message;
}

TEST(ReplicationProtocol, ServerErrorEndingTheCopyIsReportedWithItsSqlstate) {
  FakeWalSender fake([&](FakePeer& peer) {
    begin_streaming(peer);
    peer.send('c', "");
    peer.send_error("57P01", "terminating connection due to administrator command");
    peer.send('Z', "I");
    peer.read_message();
  });
  ReplicationStream stream = started_stream(fake, Lsn());
  auto message = stream.poll(milliseconds(5000));
  ASSERT_FALSE(message.ok());
  EXPECT_EQ(message.error().sqlstate, "57P01");
  EXPECT_TRUE(message.error().connection_lost());
  EXPECT_NE(message.error().message.find("administrator command"), std::string::npos);
}

TEST(ReplicationProtocol, ServerErrorWithoutCopyDoneIsReportedToo) {
  FakeWalSender fake([&](FakePeer& peer) {
    begin_streaming(peer);
    peer.send_error("55006", "replication slot \"herald\" is active for PID 7");
    peer.send('Z', "I");
    peer.read_message();
  });
  ReplicationStream stream = started_stream(fake, Lsn());
  auto message = stream.poll(milliseconds(5000));
  ASSERT_FALSE(message.ok());
  EXPECT_TRUE(message.error().has_sqlstate(sqlstate::kObjectInUse)) << message.error().message;
  EXPECT_EQ(message.error().kind, ErrorKind::Server);
}

TEST(ReplicationProtocol, StopSendsAFinalStatusThenCopyDone) {
  std::promise<std::string> seen;
  FakeWalSender fake([&](FakePeer& peer) {
    begin_streaming(peer);
    std::string types;
    std::uint64_t flushed = 0;
    while (auto message = peer.read_message()) {
      types += message->type;
      if (message->type == 'd') flushed = read_be64(message->body, 9);
      if (message->type == 'c') {
        peer.send('d', keepalive(0x900, false));  // in flight when CopyDone crossed
        peer.send('c', "");
        peer.send('C', std::string("START_REPLICATION\0", 18));
        peer.send('Z', "I");
      }
      if (message->type == 'X') break;  // Terminate
    }
    seen.set_value(types + " flushed=" + std::to_string(flushed));
  });
  {
    ReplicationStream stream = started_stream(fake, Lsn(0x100));
    stream.confirm(Lsn(0x700));
    auto stopped = stream.stop(milliseconds(5000));
    EXPECT_TRUE(stopped.ok()) << stopped.error().message;
    EXPECT_FALSE(stream.is_streaming());
  }
  EXPECT_EQ(seen.get_future().get(), "dcX flushed=" + std::to_string(0x700));
}

}  // namespace
}  // namespace herald::pg
