#include "pg/replication_messages.hpp"

#include <gtest/gtest.h>

#include <vector>

namespace herald::pg {
namespace {

std::vector<std::byte> bytes(std::initializer_list<int> values) {
  std::vector<std::byte> out;
  for (int value : values) out.push_back(static_cast<std::byte>(value));
  return out;
}

TEST(PgTimestamp, CountsMicrosecondsFromTheYear2000) {
  using namespace std::chrono;
  EXPECT_EQ(to_pg_timestamp(system_clock::time_point(seconds(946'684'800))), 0);
  EXPECT_EQ(to_pg_timestamp(system_clock::time_point{}), -946'684'800'000'000LL);
  // 2026-03-02T14:00:00.123456Z
  const auto time = system_clock::time_point(seconds(1'772'460'000) + microseconds(123'456));
  EXPECT_EQ(to_pg_timestamp(time), (1'772'460'000LL - 946'684'800LL) * 1'000'000 + 123'456);
  EXPECT_EQ(from_pg_timestamp(to_pg_timestamp(time)), time);
}

TEST(StandbyStatus, EncodesEveryFieldBigEndian) {
  const auto encoded = encode_standby_status(Lsn(0x0102030405060708ULL), Lsn(0x1A2B3C4),
                                             Lsn(0x16'B374D848ULL), 0x00AABBCCDDEEFF11LL, true);
  const auto expected = bytes({'r',  0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08,  // write
                               0x00, 0x00, 0x00, 0x00, 0x01, 0xA2, 0xB3, 0xC4,        // flush
                               0x00, 0x00, 0x00, 0x16, 0xB3, 0x74, 0xD8, 0x48,        // apply
                               0x00, 0xAA, 0xBB, 0xCC, 0xDD, 0xEE, 0xFF, 0x11,        // clock
                               0x01});                                                // reply
  ASSERT_EQ(encoded.size(), 34u);
  EXPECT_EQ(std::vector<std::byte>(encoded.begin(), encoded.end()), expected);
}

TEST(StandbyStatus, EncodesNoReplyAndNegativeClock) {
  const auto encoded = encode_standby_status(Lsn(0), Lsn(0), Lsn(0), -1, false);
  EXPECT_EQ(encoded[0], std::byte{'r'});
  for (std::size_t i = 1; i < 25; ++i) EXPECT_EQ(encoded[i], std::byte{0}) << i;
  for (std::size_t i = 25; i < 33; ++i) EXPECT_EQ(encoded[i], std::byte{0xFF}) << i;
  EXPECT_EQ(encoded[33], std::byte{0});
}

TEST(ReplicationMessage, ParsesAKeepaliveThatAsksForAReply) {
  const auto message =
      bytes({'k', 0, 0, 0, 0x16, 0xB3, 0x74, 0xD8, 0x48, 0, 0, 0, 0, 0, 0, 0x03, 0xE8, 1});
  auto parsed = parse_replication_message(message);
  ASSERT_TRUE(parsed.ok()) << parsed.error().message;
  const auto* keepalive = std::get_if<PrimaryKeepalive>(&*parsed);
  ASSERT_NE(keepalive, nullptr);
  EXPECT_EQ(keepalive->wal_end, Lsn(0x16'B374D848ULL));
  EXPECT_EQ(keepalive->server_time, 1000);
  EXPECT_TRUE(keepalive->reply_requested);
}

TEST(ReplicationMessage, ParsesAKeepaliveWithoutReplyRequest) {
  const auto message = bytes({'k', 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 2, 0});
  auto parsed = parse_replication_message(message);
  ASSERT_TRUE(parsed.ok());
  const auto& keepalive = std::get<PrimaryKeepalive>(*parsed);
  EXPECT_EQ(keepalive.wal_end, Lsn(1));
  EXPECT_EQ(keepalive.server_time, 2);
  EXPECT_FALSE(keepalive.reply_requested);
}

TEST(ReplicationMessage, RejectsAKeepaliveOfTheWrongLength) {
  const auto short_one = bytes({'k', 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 2});
  auto parsed = parse_replication_message(short_one);
  ASSERT_FALSE(parsed.ok());
  EXPECT_NE(parsed.error().message.find("17 bytes"), std::string::npos) << parsed.error().message;
}

TEST(ReplicationMessage, ParsesXLogDataAndPointsIntoTheBuffer) {
  const auto message = bytes({'w', 0, 0, 0, 0, 0, 0,    0x10, 0x00,  // start 0/1000
                              0,   0, 0, 0, 0, 0, 0x20, 0x00,        // end 0/2000
                              0,   0, 0, 0, 0, 0, 0,    0x05,        // time
                              'B', 1, 2, 3});
  auto parsed = parse_replication_message(message);
  ASSERT_TRUE(parsed.ok());
  const auto& data = std::get<XLogData>(*parsed);
  EXPECT_EQ(data.wal_start, Lsn(0x1000));
  EXPECT_EQ(data.wal_end, Lsn(0x2000));
  EXPECT_EQ(data.server_time, 5);
  ASSERT_EQ(data.payload.size(), 4u);
  EXPECT_EQ(data.payload.data(), message.data() + 25);  // zero-copy
  EXPECT_EQ(data.payload[0], std::byte{'B'});
}

TEST(ReplicationMessage, AcceptsXLogDataWithAnEmptyPayload) {
  std::vector<std::byte> message(25, std::byte{0});
  message[0] = std::byte{'w'};
  auto parsed = parse_replication_message(message);
  ASSERT_TRUE(parsed.ok());
  EXPECT_TRUE(std::get<XLogData>(*parsed).payload.empty());
}

TEST(ReplicationMessage, RejectsTruncatedXLogDataEmptyAndUnknownMessages) {
  std::vector<std::byte> truncated(24, std::byte{0});
  truncated[0] = std::byte{'w'};
  EXPECT_FALSE(parse_replication_message(truncated).ok());
  EXPECT_FALSE(parse_replication_message({}).ok());
  auto unknown = parse_replication_message(bytes({'x', 1, 2}));
  ASSERT_FALSE(unknown.ok());
  EXPECT_NE(unknown.error().message.find("0x78"), std::string::npos) << unknown.error().message;
}

}  // namespace
}  // namespace herald::pg
