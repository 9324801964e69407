// SigpipeBlock: hiredis writes with write(), so a write to a closed connection raises
// SIGPIPE; under the block it fails with EPIPE, the process lives on, and no SIGPIPE is
// left pending for later.

#include <gtest/gtest.h>

#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>

#include "sink/redis_connection.hpp"

namespace herald::sink::redis {
namespace {

bool sigpipe_pending() {
  sigset_t pending;
  sigemptyset(&pending);
  sigpending(&pending);
  return sigismember(&pending, SIGPIPE) == 1;
}

bool sigpipe_blocked() {
  sigset_t mask;
  sigemptyset(&mask);
  pthread_sigmask(SIG_BLOCK, nullptr, &mask);
  return sigismember(&mask, SIGPIPE) == 1;
}

TEST(RedisSigpipe, AWriteToAClosedSocketFailsWithEpipeInsteadOfKillingTheProcess) {
  ASSERT_FALSE(sigpipe_blocked());
  int fds[2] = {-1, -1};
  ASSERT_EQ(::socketpair(AF_UNIX, SOCK_STREAM, 0, fds), 0);
  ::close(fds[1]);
  {
    const SigpipeBlock block;
    EXPECT_TRUE(sigpipe_blocked());
    const char byte = 'x';
    errno = 0;
    EXPECT_EQ(::write(fds[0], &byte, 1), -1);
    EXPECT_EQ(errno, EPIPE);
    EXPECT_TRUE(sigpipe_pending()) << "the write did raise SIGPIPE (held by the block)";
  }
  EXPECT_FALSE(sigpipe_pending()) << "consumed, so unblocking did not deliver it";
  EXPECT_FALSE(sigpipe_blocked()) << "the mask is restored";
  ::close(fds[0]);
}

}  // namespace
}  // namespace herald::sink::redis
