#include "sink/redis_connection.hpp"

#include <fcntl.h>
#include <pthread.h>
#include <sys/time.h>

#include <cerrno>
#include <cstring>
#include <vector>

#include <fmt/format.h>

namespace herald::sink::redis {

namespace {

// Passwords shorter than this are not searched for in server messages: replacing every
// "ab" in a sentence garbles it, and Redis never echoes a password anyway.
constexpr std::size_t kMinScrubbedLength = 3;

timeval to_timeval(std::chrono::milliseconds duration) {
  const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(duration);
  const auto micros = std::chrono::duration_cast<std::chrono::microseconds>(duration - seconds);
  return timeval{static_cast<time_t>(seconds.count()), static_cast<suseconds_t>(micros.count())};
}

// Belt and braces: a server message quoted in an error must not carry the password.
std::string scrub(std::string text, const std::string& password) {
  if (password.size() < kMinScrubbedLength) return text;
  for (auto at = text.find(password); at != std::string::npos; at = text.find(password, at)) {
    text.replace(at, password.size(), "***");
  }
  return text;
}

// One blocking command during the handshake; the context still has its timeouts.
Result<void> handshake_command(redisContext& context, const std::vector<std::string>& args,
                               const Endpoint& endpoint, std::chrono::milliseconds timeout) {
  std::vector<const char*> argv;
  std::vector<std::size_t> lengths;
  for (const auto& arg : args) {
    argv.push_back(arg.data());
    lengths.push_back(arg.size());
  }
  const ReplyPtr reply = adopt_reply(
      redisCommandArgv(&context, static_cast<int>(argv.size()), argv.data(), lengths.data()));
  const std::string& verb = args.front();
  if (!reply) {
    // The socket's receive timeout shows as EAGAIN: say what it means.
    const bool timed_out =
        context.err == REDIS_ERR_IO && (context_error(context) == std::strerror(EAGAIN) ||
                                        context_error(context) == std::strerror(EWOULDBLOCK));
    const std::string why =
        timed_out ? fmt::format("no answer within {} ms", timeout.count()) : context_error(context);
    return make_error(
        fmt::format("cannot connect to redis {}: {} failed: {}", endpoint.label(), verb, why));
  }
  if (reply->type == REDIS_REPLY_ERROR) {
    return make_error(fmt::format("cannot connect to redis {}: {} refused: {}", endpoint.label(),
                                  verb, scrub(std::string(reply_text(*reply)), endpoint.password)));
  }
  return {};
}

sigset_t sigpipe_set() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGPIPE);
  return set;
}

}  // namespace

SigpipeBlock::SigpipeBlock() {
  const sigset_t set = sigpipe_set();
  pthread_sigmask(SIG_BLOCK, &set, &previous_);
  sigset_t pending;
  sigemptyset(&pending);
  was_pending_ = sigpending(&pending) == 0 && sigismember(&pending, SIGPIPE) == 1;
}

SigpipeBlock::~SigpipeBlock() {
  const sigset_t set = sigpipe_set();
  if (!was_pending_) {
    const timespec no_wait{0, 0};
    while (sigtimedwait(&set, nullptr, &no_wait) == SIGPIPE) {
    }
  }
  pthread_sigmask(SIG_SETMASK, &previous_, nullptr);
}

Result<Connection> Connection::open(const Endpoint& endpoint,
                                    std::chrono::milliseconds connect_timeout,
                                    std::chrono::milliseconds command_timeout) {
  const SigpipeBlock no_sigpipe;
  ContextPtr context(
      redisConnectWithTimeout(endpoint.host.c_str(), endpoint.port, to_timeval(connect_timeout)));
  if (!context) {
    return make_error(fmt::format("cannot connect to redis {}: out of memory", endpoint.label()));
  }
  if (context->err != 0) {
    return make_error(
        fmt::format("cannot connect to redis {}: {}", endpoint.label(), context_error(*context)));
  }
  // Bounds the handshake's blocking reads and writes.
  if (redisSetTimeout(context.get(), to_timeval(command_timeout)) != REDIS_OK ||
      redisEnableKeepAlive(context.get()) != REDIS_OK) {
    return make_error(fmt::format("cannot configure the socket to redis {}: {}", endpoint.label(),
                                  context_error(*context)));
  }
  if (!endpoint.password.empty()) {
    std::vector<std::string> auth = {"AUTH"};
    if (!endpoint.user.empty()) auth.push_back(endpoint.user);
    auth.push_back(endpoint.password);
    if (auto done = handshake_command(*context, auth, endpoint, command_timeout); !done)
      return done.error();
  }
  // A server that wants a password answers the first command with NOAUTH: ask now, so a
  // missing or wrong password is a connect error and not a Retry on every delivery.
  if (auto done = handshake_command(*context, {"PING"}, endpoint, command_timeout); !done)
    return done.error();
  if (endpoint.db != 0) {
    auto done = handshake_command(*context, {"SELECT", std::to_string(endpoint.db)}, endpoint,
                                  command_timeout);
    if (!done) return done.error();
  }
  // From here hiredis must treat EAGAIN as "later", not as an error: that is what its
  // non-blocking mode (the flag, as its async API uses it) does.
  const int fd = context->fd;
  const int flags = ::fcntl(fd, F_GETFL);
  if (flags < 0 || ::fcntl(fd, F_SETFL, flags | O_NONBLOCK) < 0) {
    return make_error(
        fmt::format("cannot make the socket to redis {} non-blocking", endpoint.label()));
  }
  context->flags &= ~REDIS_BLOCK;
  return Connection(std::move(context));
}

bool Connection::append(int argc, const char** argv, const std::size_t* lengths) {
  if (redisAppendCommandArgv(context_.get(), argc, argv, lengths) != REDIS_OK) return false;
  output_pending_ = true;
  return true;
}

Result<void> Connection::flush() {
  int done = 0;
  if (redisBufferWrite(context_.get(), &done) != REDIS_OK) return make_error(error());
  output_pending_ = done == 0;
  return {};
}

Result<void> Connection::read() {
  if (redisBufferRead(context_.get()) != REDIS_OK) return make_error(error());
  return {};
}

Result<ReplyPtr> Connection::next_reply() {
  void* reply = nullptr;
  if (redisGetReplyFromReader(context_.get(), &reply) != REDIS_OK) return make_error(error());
  return adopt_reply(reply);
}

}  // namespace herald::sink::redis
