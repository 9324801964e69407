#include "redis_test_client.hpp"

#include <poll.h>

#include <stdexcept>

#include <fmt/format.h>

namespace herald::testing {

namespace {

using ReplyPtr = std::unique_ptr<redisReply, decltype(&freeReplyObject)>;

constexpr timeval kTimeout{10, 0};

std::string text_of(const redisReply* reply) {
  return reply->str != nullptr ? std::string(reply->str, reply->len) : std::string();
}

ReplyPtr command(redisContext* context, const std::vector<std::string>& args) {
  std::vector<const char*> argv;
  std::vector<std::size_t> lengths;
  for (const auto& arg : args) {
    argv.push_back(arg.data());
    lengths.push_back(arg.size());
  }
  ReplyPtr reply(static_cast<redisReply*>(redisCommandArgv(context, static_cast<int>(argv.size()),
                                                           argv.data(), lengths.data())),
                 &freeReplyObject);
  if (!reply) throw std::runtime_error(fmt::format("redis test client: {}", context->errstr));
  return reply;
}

}  // namespace

RedisTestClient::RedisTestClient(std::uint16_t port, const std::string& password)
    : context_(redisConnectWithTimeout("127.0.0.1", port, kTimeout), &redisFree) {
  if (!context_ || context_->err != 0) {
    throw std::runtime_error(fmt::format("redis test client cannot connect to port {}", port));
  }
  redisSetTimeout(context_.get(), kTimeout);
  if (!password.empty()) {
    const auto reply = run({"AUTH", password});
    if (reply.type == REDIS_REPLY_ERROR)
      throw std::runtime_error("redis test client: " + reply.text);
  }
}

RedisTestClient::Reply RedisTestClient::run(const std::vector<std::string>& args) {
  const ReplyPtr reply = command(context_.get(), args);
  Reply out;
  out.type = reply->type;
  out.integer = reply->integer;
  out.text =
      reply->type == REDIS_REPLY_INTEGER ? std::to_string(reply->integer) : text_of(reply.get());
  return out;
}

long long RedisTestClient::xlen(const std::string& key) {
  const Reply reply = run({"XLEN", key});
  if (reply.type != REDIS_REPLY_INTEGER) throw std::runtime_error("XLEN: " + reply.text);
  return reply.integer;
}

std::vector<StreamEntry> RedisTestClient::xrange(const std::string& key) {
  const ReplyPtr reply = command(context_.get(), {"XRANGE", key, "-", "+"});
  if (reply->type != REDIS_REPLY_ARRAY) throw std::runtime_error("XRANGE: " + text_of(reply.get()));
  std::vector<StreamEntry> entries;
  for (std::size_t i = 0; i < reply->elements; ++i) {
    const redisReply* entry = reply->element[i];
    StreamEntry out;
    out.entry_id = text_of(entry->element[0]);
    const redisReply* fields = entry->element[1];
    for (std::size_t f = 0; f + 1 < fields->elements; f += 2) {
      out.fields.emplace_back(text_of(fields->element[f]), text_of(fields->element[f + 1]));
    }
    entries.push_back(std::move(out));
  }
  return entries;
}

void RedisTestClient::subscribe(const std::string& channel) {
  const ReplyPtr reply = command(context_.get(), {"SUBSCRIBE", channel});
  if (reply->type != REDIS_REPLY_ARRAY || reply->elements != 3 ||
      text_of(reply->element[0]) != "subscribe") {
    throw std::runtime_error("SUBSCRIBE was not confirmed");
  }
}

std::optional<std::string> RedisTestClient::next_message() {
  void* raw = nullptr;
  if (redisGetReply(context_.get(), &raw) != REDIS_OK) return std::nullopt;  // the timeout
  const ReplyPtr reply(static_cast<redisReply*>(raw), &freeReplyObject);
  if (reply->type != REDIS_REPLY_ARRAY || reply->elements != 3 ||
      text_of(reply->element[0]) != "message") {
    return std::nullopt;
  }
  return text_of(reply->element[2]);
}

bool collect(sink::CompletionQueue& queue, std::vector<sink::Completion>& done, std::size_t count,
             std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (done.size() < count) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) break;
    pollfd fd{queue.wake_fd(), POLLIN, 0};
    ::poll(&fd, 1, static_cast<int>(left.count()));
    queue.drain(done);
  }
  return done.size() >= count;
}

sink::Delivery delivery(std::uint64_t token, std::string destination, std::string event_id,
                        std::string payload) {
  return sink::Delivery{token, std::move(event_id), std::move(destination), std::move(payload)};
}

}  // namespace herald::testing
