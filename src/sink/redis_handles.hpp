#pragma once
// Owners for the hiredis handles the Redis sink holds: a redisContext (the connection, its
// socket and buffers) and the replies hiredis allocates. unique_ptr with the library's own
// free functions as deleters, so a dropped connection or an early exit frees each once.

#include <hiredis/hiredis.h>

#include <memory>
#include <string>
#include <string_view>

namespace herald::sink::redis {

template <auto Destroy>
struct HandleDeleter {
  template <typename T>
  void operator()(T* handle) const noexcept {
    Destroy(handle);
  }
};

using ContextPtr = std::unique_ptr<redisContext, HandleDeleter<&redisFree>>;
using ReplyPtr = std::unique_ptr<redisReply, HandleDeleter<&freeReplyObject>>;

// hiredis hands replies out as void*: the one place that casts them.
inline ReplyPtr adopt_reply(void* reply) {
  return ReplyPtr(static_cast<redisReply*>(reply));
}

// The text of a string, status or error reply (empty for other types).
inline std::string_view reply_text(const redisReply& reply) {
  if (reply.str == nullptr) return {};
  return {reply.str, reply.len};
}

// What went wrong on a context, as hiredis says it ("Connection refused", "Server closed
// the connection", ...).
inline std::string context_error(const redisContext& context) {
  if (context.err == 0) return "no error";
  return context.errstr[0] != '\0' ? std::string(context.errstr) : "unknown hiredis error";
}

}  // namespace herald::sink::redis
