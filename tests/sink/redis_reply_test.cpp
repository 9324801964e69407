// How the Redis sink judges a reply: the success shapes of XADD and PUBLISH, error codes
// that will never succeed as sent (Permanent) against passing states (Retry).

#include <gtest/gtest.h>

#include <string>

#include "sink/redis_reply.hpp"

namespace herald::sink::redis {
namespace {

// A reply as hiredis builds it, without allocating through hiredis.
struct FakeReply {
  std::string text;
  redisReply reply{};

  FakeReply(int type, std::string body) : text(std::move(body)) {
    reply.type = type;
    reply.str = text.data();
    reply.len = text.size();
  }
};

TEST(RedisReply, XaddDeliveredOnAnEntryId) {
  const FakeReply id(REDIS_REPLY_STRING, "1700000000000-0");
  const Verdict v = judge_reply(id.reply, Command::Xadd, "orders");
  EXPECT_EQ(v.outcome, Outcome::Delivered);
  EXPECT_EQ(v.error, "");
}

TEST(RedisReply, PublishDeliveredOnAnyReceiverCountZeroIncluded) {
  FakeReply count(REDIS_REPLY_INTEGER, "");
  count.reply.str = nullptr;
  count.reply.integer = 0;
  EXPECT_EQ(judge_reply(count.reply, Command::Publish, "ch").outcome, Outcome::Delivered);
}

TEST(RedisReply, WrongTypeIsPermanentAndQuotesRedis) {
  const FakeReply error(REDIS_REPLY_ERROR,
                        "WRONGTYPE Operation against a key holding the wrong kind of value");
  const Verdict v = judge_reply(error.reply, Command::Xadd, "orders");
  EXPECT_EQ(v.outcome, Outcome::Permanent);
  EXPECT_EQ(
      v.error,
      "redis XADD 'orders': WRONGTYPE Operation against a key holding the wrong kind of value");
}

TEST(RedisReply, ErrorCodesThatCannotSucceedAsSentArePermanent) {
  for (const char* text : {"ERR unknown command 'XADD'", "NOPERM this user has no permissions",
                           "MOVED 3999 127.0.0.1:6381", "ASK 3999 127.0.0.1:6381",
                           "CROSSSLOT Keys in request don't hash to the same slot", "WRONGTYPE"}) {
    EXPECT_EQ(classify_error(text), Outcome::Permanent) << text;
  }
}

TEST(RedisReply, PassingStatesAndUnknownCodesRetry) {
  for (const char* text :
       {"OOM command not allowed when used memory > 'maxmemory'.",
        "LOADING Redis is loading the dataset in memory", "BUSY Redis is busy running a script",
        "MISCONF Redis is configured to save RDB snapshots",
        "READONLY You can't write against a read only replica.",
        "MASTERDOWN Link with MASTER is down", "TRYAGAIN Multiple keys",
        "CLUSTERDOWN The cluster is down", "NOAUTH Authentication required.",
        "SOMETHINGNEW from a future Redis", ""}) {
    EXPECT_EQ(classify_error(text), Outcome::Retry) << text;
  }
}

TEST(RedisReply, AnUnexpectedReplyTypeIsRetriedAndNamed) {
  FakeReply nil(REDIS_REPLY_NIL, "");
  nil.reply.str = nullptr;
  const Verdict v = judge_reply(nil.reply, Command::Xadd, "s");
  EXPECT_EQ(v.outcome, Outcome::Retry);
  EXPECT_EQ(v.error, "redis XADD 's': unexpected nil reply");
  const FakeReply status(REDIS_REPLY_STATUS, "OK");
  EXPECT_EQ(judge_reply(status.reply, Command::Publish, "c").error,
            "redis PUBLISH 'c': unexpected status reply");
}

}  // namespace
}  // namespace herald::sink::redis
