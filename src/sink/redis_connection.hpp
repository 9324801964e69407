#pragma once
// One connection to Redis, ready for pipelining: open() connects with a timeout,
// authenticates (AUTH), checks that the server serves it (PING) and selects the database
// (SELECT) with blocking calls bounded by the command timeout, then turns the socket non-blocking.
// From there the owner drives it with poll(): append() queues commands in hiredis's output buffer,
// flush() writes what the socket takes, read() takes what has arrived, next_reply() parses replies
// in command order. Nothing here waits, so one thread can keep writing new commands while replies
// to earlier ones come back.

#include <signal.h>

#include <chrono>
#include <cstddef>
#include <string>

#include "common/result.hpp"
#include "sink/redis_handles.hpp"
#include "sink/redis_url.hpp"

namespace herald::sink::redis {

// hiredis writes with write(), not send(MSG_NOSIGNAL): a write to a connection the server
// has closed raises SIGPIPE, which ends a process that does not ignore it. While one of
// these lives, SIGPIPE is blocked on the calling thread (the write fails with EPIPE
// instead); on destruction a SIGPIPE raised meanwhile is consumed and the mask restored.
class SigpipeBlock {
 public:
  SigpipeBlock();
  ~SigpipeBlock();
  SigpipeBlock(const SigpipeBlock&) = delete;
  SigpipeBlock& operator=(const SigpipeBlock&) = delete;

 private:
  sigset_t previous_{};
  bool was_pending_ = false;  // someone else's SIGPIPE: left for them
};

class Connection {
 public:
  // Errors say which server (endpoint.label()) and what failed; never the password.
  // Blocks SIGPIPE on the calling thread for the handshake; the thread that uses the
  // connection afterwards must hold a SigpipeBlock of its own.
  static Result<Connection> open(const Endpoint& endpoint,
                                 std::chrono::milliseconds connect_timeout,
                                 std::chrono::milliseconds command_timeout);

  Connection(Connection&&) noexcept = default;
  Connection& operator=(Connection&&) noexcept = default;
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;
  ~Connection() = default;

  int fd() const { return context_->fd; }

  // Queues one command (arguments are binary-safe). False only when out of memory.
  bool append(int argc, const char** argv, const std::size_t* lengths);

  // Whether appended bytes wait to be written.
  bool has_output() const { return output_pending_; }

  // Writes as much of the output as the socket takes now.
  Result<void> flush();

  // Reads what has arrived into the reply parser. An error when the server closed the
  // connection or the socket failed.
  Result<void> read();

  // The next complete reply, or an empty pointer when none has fully arrived. An error
  // when the stream of replies is not valid RESP.
  Result<ReplyPtr> next_reply();

  // How the connection failed, after an error from the calls above.
  std::string error() const { return context_error(*context_); }

 private:
  explicit Connection(ContextPtr context) : context_(std::move(context)) {}

  ContextPtr context_;
  bool output_pending_ = false;
};

}  // namespace herald::sink::redis
