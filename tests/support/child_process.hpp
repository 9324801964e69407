#pragma once
// A process a test starts and controls: the servers of the test support run as these,
// and integration tests use it to run `herald run` and SIGKILL it mid-stream.
//
// The child gets its own process group and PR_SET_PDEATHSIG(SIGKILL), so nothing outlives
// a crashed test process. Note: Linux sends the death signal when the *thread* that
// spawned the child exits, so spawn long-lived children from the test's main thread.

#include <gtest/gtest.h>
#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "support/temp_dir.hpp"

namespace herald::testing {

// How a child ended: exactly one of `code` (normal exit) or `signal` (killed) is meaningful.
struct ExitStatus {
  int code = -1;   // exit code when it exited normally, else -1
  int signal = 0;  // the signal that ended it, else 0

  bool exited_normally() const { return signal == 0; }
  bool exited_with(int expected_code) const { return signal == 0 && code == expected_code; }
  bool killed_by(int expected_signal) const { return signal == expected_signal; }
  std::string describe() const;  // "exited with code 0", "killed by signal 9 (Killed)"
  friend bool operator==(const ExitStatus&, const ExitStatus&) = default;
};
std::ostream& operator<<(std::ostream& out, const ExitStatus& status);

struct SpawnOptions {
  // Set (or override) these variables in the child; the rest of the environment is inherited.
  std::vector<std::pair<std::string, std::string>> env;
  // Remove these variables from the child's environment.
  std::vector<std::string> unset_env;
  // stdout and stderr are appended to this file; empty = a file in a temp dir the
  // ChildProcess owns. stdin is /dev/null.
  std::filesystem::path output_path;
  // Empty = the test's working directory.
  std::filesystem::path working_dir;
  // When the test runs as root: run the child as this user (e.g. "postgres"). Ignored
  // for other users.
  std::string run_as_user;

  // Chainable setters, since g++ 12 warns about designated initializers that leave
  // members out: SpawnOptions().set_env("DATABASE_URL", url).output_to(path).
  SpawnOptions& set_env(std::string name, std::string value) {
    env.emplace_back(std::move(name), std::move(value));
    return *this;
  }
  SpawnOptions& unset(std::string name) {
    unset_env.push_back(std::move(name));
    return *this;
  }
  SpawnOptions& output_to(std::filesystem::path path) {
    output_path = std::move(path);
    return *this;
  }
  SpawnOptions& in_dir(std::filesystem::path path) {
    working_dir = std::move(path);
    return *this;
  }
  SpawnOptions& as_user(std::string user) {
    run_as_user = std::move(user);
    return *this;
  }
};

class ChildProcess {
 public:
  // Starts argv[0] (looked up in PATH when it has no slash). Throws std::runtime_error
  // when it cannot be started (e.g. the program does not exist).
  explicit ChildProcess(std::vector<std::string> argv, SpawnOptions options = {});
  // Kills the child's process group with SIGKILL (when still running) and reaps it.
  ~ChildProcess();
  ChildProcess(ChildProcess&& other) noexcept;
  ChildProcess& operator=(ChildProcess&& other) noexcept;
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  pid_t pid() const { return pid_; }
  const std::vector<std::string>& argv() const { return argv_; }

  // True until the child has exited (reaps it when it has). In a fork of the test process
  // (a gtest death test) it is false, so nothing there signals or kills the child.
  bool running();
  // The exit status once the child has exited and been reaped.
  std::optional<ExitStatus> exit_status();

  // Sends `signo` to the child (no-op once it has been reaped).
  void signal(int signo);
  // Sends `signo` to the child's whole process group (it and the processes it forked).
  void signal_group(int signo);
  // SIGKILL to the process group, then waits for the child: a crash, as seen by peers.
  ExitStatus kill();

  // Waits until the child exits; nullopt when it still runs after `timeout`.
  std::optional<ExitStatus> wait_for_exit(std::chrono::milliseconds timeout);

  // Everything the child has written to stdout and stderr so far.
  std::string output() const;
  // Bytes of output so far: remember it, then wait_for_output(..., from) ignores older lines.
  std::size_t output_size() const;
  const std::filesystem::path& output_path() const { return output_path_; }
  // The last lines of the output, for failure messages.
  std::string output_tail(std::size_t max_lines = 40) const;
  // Succeeds once the output from byte `from` on contains `needle`; fails at the timeout,
  // or early when the child exits without printing it. The failure message carries the
  // output's tail.
  ::testing::AssertionResult wait_for_output(std::string_view needle,
                                             std::chrono::milliseconds timeout,
                                             std::size_t from = 0);

 private:
  void reap_blocking() noexcept;
  void release() noexcept;

  std::vector<std::string> argv_;
  std::optional<TempDir> own_dir_;  // holds the output file when none was given
  std::filesystem::path output_path_;
  pid_t pid_ = -1;
  // The process that spawned it: a fork of the test (a gtest death test) must not kill it.
  pid_t owner_ = -1;
  std::optional<ExitStatus> status_;
};

}  // namespace herald::testing
