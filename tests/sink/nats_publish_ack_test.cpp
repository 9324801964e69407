// read_publish_ack: the replies nats-server sends to a JetStream publish.

#include "sink/nats_publish_ack.hpp"

#include <gtest/gtest.h>

namespace herald::sink::nats {
namespace {

TEST(ReadPublishAck, AStoredMessageAndADuplicateAreStored) {
  EXPECT_TRUE(read_publish_ack(R"({"stream":"ORDERS", "seq":42})").stored);
  EXPECT_TRUE(read_publish_ack(R"({"stream":"ORDERS", "seq":42,"duplicate": true})").stored);
  // Another field order or spacing still reads as an ack.
  EXPECT_TRUE(read_publish_ack(R"( {"seq":7,"stream":"ORDERS","domain":"hub"})").stored);
}

TEST(ReadPublishAck, GivesTheSequenceAndWhetherTheIdWasAlreadyStored) {
  for (const char* reply :
       {R"({"stream":"ORDERS","seq":18446744073709551615})",
        R"({"stream":"ORDERS", "seq": 18446744073709551615, "duplicate":false})",
        R"( {"seq":18446744073709551615,"stream":"ORDERS"})"}) {
    const auto ack = read_publish_ack(reply);
    EXPECT_TRUE(ack.stored) << reply;
    EXPECT_EQ(ack.sequence, 18446744073709551615ULL) << reply;
    EXPECT_FALSE(ack.duplicate) << reply;
  }
  for (const char* reply : {R"({"stream":"ORDERS","seq":42,"duplicate":true})",
                            R"({"stream":"ORDERS", "seq":42, "duplicate": true})",
                            R"({"duplicate":true,"seq":42,"stream":"ORDERS"})"}) {
    const auto ack = read_publish_ack(reply);
    EXPECT_TRUE(ack.stored) << reply;
    EXPECT_EQ(ack.sequence, 42U) << reply;
    EXPECT_TRUE(ack.duplicate) << reply;
  }
}

TEST(ReadPublishAck, AnApiErrorGivesItsCodeAndDescription) {
  const auto ack = read_publish_ack(
      R"({"error":{"code":503,"err_code":10077,"description":"maximum messages exceeded"},"stream":"S","seq":0})");
  EXPECT_FALSE(ack.stored);
  EXPECT_EQ(ack.status, NATS_ERR);
  EXPECT_EQ(ack.jetstream_code, 10077);
  EXPECT_EQ(ack.text, "maximum messages exceeded");
  EXPECT_EQ(classify_publish_failure(ack.failure()), Outcome::Retry);  // a stream limit

  const auto rejected = read_publish_ack(
      R"({"error":{"code":400,"err_code":10054,"description":"message size exceeds maximum allowed"}})");
  EXPECT_EQ(rejected.jetstream_code, 10054);
  EXPECT_EQ(classify_publish_failure(rejected.failure()), Outcome::Permanent);
}

TEST(ReadPublishAck, AnErrorWithoutCodeOrDescriptionKeepsWhatItSaid) {
  const auto ack = read_publish_ack(R"({"error":{"code":500}})");
  EXPECT_FALSE(ack.stored);
  EXPECT_EQ(ack.jetstream_code, 0);
  EXPECT_EQ(ack.text, R"({"code":500})");
  EXPECT_EQ(classify_publish_failure(ack.failure()), Outcome::Retry);
}

TEST(ReadPublishAck, AReplyThatIsNoAckIsAnErrorQuotingIt) {
  for (const char* reply : {"", "+OK", "[1,2]", R"({"type":"io.nats.unknown"})"}) {
    const auto ack = read_publish_ack(reply);
    EXPECT_FALSE(ack.stored) << reply;
    EXPECT_EQ(ack.status, NATS_ERR) << reply;
    EXPECT_EQ(ack.jetstream_code, 0) << reply;
    EXPECT_NE(ack.text.find("unexpected reply to a JetStream publish: "), std::string::npos);
    EXPECT_NE(ack.text.find(reply), std::string::npos) << ack.text;
    EXPECT_EQ(classify_publish_failure(ack.failure()), Outcome::Retry) << reply;
  }
}

}  // namespace
}  // namespace herald::sink::nats
