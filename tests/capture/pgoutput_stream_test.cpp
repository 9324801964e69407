// Integration: the decoder fed by the pg module's live replication stream (XLogData
// payloads), as `herald run` wires them, on a connection whose TimeZone is not UTC.

#include "capture/exact_json.hpp"
#include "capture/pgoutput_decoder.hpp"
#include "pg/connection.hpp"
#include "pg/replication_stream.hpp"
#include "pg/slots.hpp"
#include "recording_visitor.hpp"
#include "support/servers.hpp"

#include <gtest/gtest.h>

namespace herald::capture {
namespace {

using herald::capture::testing::RecordingVisitor;
using herald::testing::TestDatabase;
using herald::testing::unique_name;
using nlohmann::json;

TEST(PgoutputStreamTest, DecodesLiveStreamUntilCommit) {
  TestDatabase db;
  db.exec(
      "CREATE TABLE tb_order (id int PRIMARY KEY, status text, total numeric, "
      "paid_at timestamptz); CREATE PUBLICATION herald_pub FOR TABLE tb_order");
  auto sql = pg::Connection::connect(db.url());
  ASSERT_TRUE(sql.ok()) << sql.error().message;
  const std::string slot = unique_name("slot");
  ASSERT_TRUE(pg::create_logical_slot(*sql, slot).ok());
  db.exec(
      "BEGIN; INSERT INTO tb_order VALUES (1, 'paid', 12345678901234567890.5, "
      "'2026-03-02 14:00:00+00'); SELECT pg_logical_emit_message(true, 'herald', '{}'); "
      "UPDATE tb_order SET status = 'shipped'; COMMIT");

  // The walsender formats values with the connection's settings: make them non-UTC.
  const std::string url = db.url() + "?options=-c%20TimeZone%3DAmerica/New_York";
  ASSERT_EQ(herald::testing::pg_scalar(url, "SHOW TimeZone"), "America/New_York");
  auto stream = pg::ReplicationStream::connect(url);
  ASSERT_TRUE(stream.ok()) << stream.error().message;
  pg::StartOptions options;
  options.publication_names = {"herald_pub"};
  ASSERT_TRUE(stream->start(slot, pg::Lsn(), options).ok());

  PgoutputDecoder decoder;
  RecordingVisitor visitor;
  ASSERT_TRUE(herald::testing::eventually(
      [&] {
        auto message = stream->poll(std::chrono::milliseconds(100));
        EXPECT_TRUE(message.ok()) << message.error().message;
        if (!message.ok() || !message->has_value()) return !message.ok();
        if (const auto* data = std::get_if<pg::XLogData>(&**message)) {
          auto decoded = decoder.decode(data->payload, visitor);
          EXPECT_TRUE(decoded.ok()) << decoded.error().message;
        }
        return !visitor.commits.empty();
      },
      std::chrono::seconds(20)));

  EXPECT_EQ(visitor.log, (std::vector<std::string>{"begin", "relation", "change", "message",
                                                   "change", "commit"}));
  ASSERT_EQ(visitor.changes.size(), 2u);
  EXPECT_EQ(visitor.changes[0].new_row.at("paid_at"), "2026-03-02T14:00:00Z");
  EXPECT_EQ(dump_json(visitor.changes[0].new_row.at("total")), "12345678901234567890.5");
  EXPECT_EQ(visitor.changes[1].new_row.at("status"), "shipped");
  EXPECT_EQ(visitor.changes[1].txn.position, 2u);
  EXPECT_EQ(visitor.changes[1].txn.commit_lsn, visitor.commits[0].commit_lsn);
  (void)stream->stop();
}

}  // namespace
}  // namespace herald::capture
