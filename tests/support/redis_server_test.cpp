// RedisServer: a real redis-server that tests can stop, crash and restart.

#include <gtest/gtest.h>
#include <hiredis/hiredis.h>

#include <memory>
#include <string>

#include "support/servers.hpp"

namespace herald::testing {
namespace {

using ContextPtr = std::unique_ptr<redisContext, decltype(&redisFree)>;
using ReplyPtr = std::unique_ptr<redisReply, decltype(&freeReplyObject)>;

ContextPtr connect(const RedisServer& server) {
  return ContextPtr(redisConnect("127.0.0.1", server.port()), &redisFree);
}

ReplyPtr command(redisContext* context, const char* format, const std::string& a = "",
                 const std::string& b = "") {
  return ReplyPtr(static_cast<redisReply*>(redisCommand(context, format, a.c_str(), b.c_str())),
                  &freeReplyObject);
}

std::string text(const redisReply* reply) {
  return std::string(reply->str, reply->len);
}

// Number of entries in a stream, -1 on error.
long long stream_length(redisContext* context, const std::string& key) {
  const ReplyPtr reply = command(context, "XLEN %s", key);
  return reply && reply->type == REDIS_REPLY_INTEGER ? reply->integer : -1;
}

TEST(RedisServer, AnswersPingAndStreamsRoundTrip) {
  RedisServer& server = SharedServers::get().redis();
  EXPECT_EQ(server.url(), "redis://127.0.0.1:" + std::to_string(server.port()));
  const ContextPtr context = connect(server);
  ASSERT_TRUE(context && context->err == 0);
  const ReplyPtr pong = command(context.get(), "PING");
  ASSERT_TRUE(pong && pong->type == REDIS_REPLY_STATUS);
  EXPECT_EQ(text(pong.get()), "PONG");

  const std::string key = unique_name();
  const ReplyPtr added = command(context.get(), "XADD %s * id evt-1 event %s", key, R"({"n":1})");
  ASSERT_TRUE(added && added->type == REDIS_REPLY_STRING) << (added ? added->type : -1);
  const ReplyPtr range = command(context.get(), "XRANGE %s - +", key);
  ASSERT_TRUE(range && range->type == REDIS_REPLY_ARRAY);
  ASSERT_EQ(range->elements, 1U);
  const redisReply* entry = range->element[0];
  ASSERT_EQ(entry->elements, 2U);
  EXPECT_EQ(text(entry->element[0]), text(added.get()));
  const redisReply* fields = entry->element[1];
  ASSERT_EQ(fields->elements, 4U);
  EXPECT_EQ(text(fields->element[0]), "id");
  EXPECT_EQ(text(fields->element[1]), "evt-1");
  EXPECT_EQ(text(fields->element[3]), R"({"n":1})");
}

TEST(RedisServer, RestartsOnTheSamePortWithoutPersistence) {
  RedisServer server;
  const auto port = server.port();
  {
    const ContextPtr context = connect(server);
    ASSERT_TRUE(context && context->err == 0);
    ASSERT_TRUE(command(context.get(), "XADD %s * a %s", "s", "1"));
    EXPECT_EQ(stream_length(context.get(), "s"), 1);
  }
  server.stop();
  EXPECT_FALSE(server.running());
  EXPECT_FALSE(port_accepts_connections(port));
  server.start();
  EXPECT_EQ(server.port(), port);
  const ContextPtr context = connect(server);
  ASSERT_TRUE(context && context->err == 0);
  EXPECT_EQ(stream_length(context.get(), "s"), 0);  // --save '' --appendonly no
}

TEST(RedisServer, AppendOnlyKeepsDataAcrossACrash) {
  RedisServer server(RedisOptions().with_append_only());
  {
    const ContextPtr context = connect(server);
    ASSERT_TRUE(context && context->err == 0);
    ASSERT_TRUE(command(context.get(), "XADD %s * a %s", "s", "1"));
  }
  server.kill();
  EXPECT_FALSE(server.running());
  server.start();
  const ContextPtr context = connect(server);
  ASSERT_TRUE(context && context->err == 0);
  EXPECT_EQ(stream_length(context.get(), "s"), 1);
}

}  // namespace
}  // namespace herald::testing
