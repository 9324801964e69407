#include "sink/redis_reply.hpp"

#include <algorithm>
#include <array>

#include <fmt/format.h>

#include "sink/redis_handles.hpp"

namespace herald::sink::redis {

namespace {

constexpr std::array<std::string_view, 6> kPermanentCodes = {"WRONGTYPE", "ERR", "NOPERM",
                                                             "MOVED",     "ASK", "CROSSSLOT"};

std::string_view command_name(Command command) {
  return command == Command::Xadd ? "XADD" : "PUBLISH";
}

std::string_view type_name(int type) {
  switch (type) {
    case REDIS_REPLY_STRING:
      return "bulk string";
    case REDIS_REPLY_ARRAY:
      return "array";
    case REDIS_REPLY_INTEGER:
      return "integer";
    case REDIS_REPLY_NIL:
      return "nil";
    case REDIS_REPLY_STATUS:
      return "status";
    case REDIS_REPLY_ERROR:
      return "error";
    default:
      return "unknown";
  }
}

}  // namespace

Outcome classify_error(std::string_view error_text) {
  const std::string_view code = error_text.substr(0, error_text.find(' '));
  const bool permanent =
      std::find(kPermanentCodes.begin(), kPermanentCodes.end(), code) != kPermanentCodes.end();
  return permanent ? Outcome::Permanent : Outcome::Retry;
}

Verdict judge_reply(const redisReply& reply, Command command, std::string_view key) {
  const int expected = command == Command::Xadd ? REDIS_REPLY_STRING : REDIS_REPLY_INTEGER;
  if (reply.type == expected) return {};
  if (reply.type == REDIS_REPLY_ERROR) {
    const std::string_view text = reply_text(reply);
    return {classify_error(text),
            fmt::format("redis {} '{}': {}", command_name(command), key, text)};
  }
  return {Outcome::Retry, fmt::format("redis {} '{}': unexpected {} reply", command_name(command),
                                      key, type_name(reply.type))};
}

}  // namespace herald::sink::redis
