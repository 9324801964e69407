#include "support/child_process.hpp"

#include <fcntl.h>
#include <linux/close_range.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

#include <fmt/format.h>

extern char** environ;

namespace herald::testing {

namespace {

// Owns one file descriptor.
class UniqueFd {
 public:
  explicit UniqueFd(int fd = -1) : fd_(fd) {}
  ~UniqueFd() { reset(); }
  UniqueFd(const UniqueFd&) = delete;
  UniqueFd& operator=(const UniqueFd&) = delete;
  int get() const { return fd_; }
  void reset() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }

 private:
  int fd_;
};

ExitStatus decode_wait_status(int raw) {
  ExitStatus status;
  if (WIFEXITED(raw)) status.code = WEXITSTATUS(raw);
  if (WIFSIGNALED(raw)) status.signal = WTERMSIG(raw);
  return status;
}

// The child's environment: the parent's, minus unset_env, with env set on top.
std::vector<std::string> child_environment(const SpawnOptions& options) {
  std::vector<std::string> result;
  const auto overridden = [&](std::string_view entry) {
    const auto name = entry.substr(0, entry.find('='));
    const auto same_name = [&](const auto& candidate) { return candidate == name; };
    return std::any_of(options.unset_env.begin(), options.unset_env.end(), same_name) ||
           std::any_of(options.env.begin(), options.env.end(),
                       [&](const auto& pair) { return pair.first == name; });
  };
  for (char** entry = environ; *entry != nullptr; ++entry) {
    if (!overridden(*entry)) result.emplace_back(*entry);
  }
  for (const auto& [name, value] : options.env) result.push_back(name + "=" + value);
  return result;
}

// argv[0] as a path: looked up in the child's PATH when it has no slash (done before fork,
// since the search allocates).
std::string resolve_program(const std::string& name, const std::vector<std::string>& env) {
  if (name.find('/') != std::string::npos) return name;
  std::string path = "/usr/local/bin:/usr/bin:/bin";
  for (const auto& entry : env) {
    if (entry.rfind("PATH=", 0) == 0) path = entry.substr(5);
  }
  std::size_t start = 0;
  while (start <= path.size()) {
    const std::size_t end = std::min(path.find(':', start), path.size());
    const std::string dir = end > start ? path.substr(start, end - start) : ".";
    const std::string candidate = dir + "/" + name;
    if (::access(candidate.c_str(), X_OK) == 0) return candidate;
    start = end + 1;
  }
  throw std::runtime_error(fmt::format("cannot start {}: not found in PATH ({})", name, path));
}

std::vector<char*> c_pointers(std::vector<std::string>& strings) {
  std::vector<char*> pointers;
  for (auto& s : strings) pointers.push_back(s.data());
  pointers.push_back(nullptr);
  return pointers;
}

// Runs in the forked child: only async-signal-safe calls until exec. Reports errno
// through `error_fd` (close-on-exec, so a successful exec closes it silently).
[[noreturn]] void exec_child(const char* program, char** argv, char** envp, int output_fd,
                             int error_fd, const char* working_dir,
                             const std::optional<UserIds>& user, pid_t parent) {
  const auto fail = [error_fd](int error) {
    [[maybe_unused]] const auto written = ::write(error_fd, &error, sizeof error);
    ::_exit(127);
  };
  ::setpgid(0, 0);
  if (user) {
    // Changing credentials clears the parent-death signal, so drop privileges first.
    // Raw system calls: glibc's wrappers would try to change every thread's credentials,
    // machinery a forked child of a multithreaded test must not touch.
    if (::syscall(SYS_setgroups, 1, &user->gid) != 0 || ::syscall(SYS_setgid, user->gid) != 0 ||
        ::syscall(SYS_setuid, user->uid) != 0) {
      fail(errno);
    }
  }
  if (::prctl(PR_SET_PDEATHSIG, SIGKILL) != 0) fail(errno);
  if (::getppid() != parent) ::_exit(127);  // the test died before prctl took effect
  sigset_t none;
  sigemptyset(&none);
  ::sigprocmask(SIG_SETMASK, &none, nullptr);
  for (int signo = 1; signo < NSIG; ++signo) ::signal(signo, SIG_DFL);
  const int null_fd = ::open("/dev/null", O_RDONLY);
  if (null_fd < 0 || ::dup2(null_fd, 0) < 0) fail(errno);
  if (::dup2(output_fd, 1) < 0 || ::dup2(output_fd, 2) < 0) fail(errno);
  // Descriptors the test process leaked without O_CLOEXEC must not reach the child.
  ::syscall(SYS_close_range, 3U, ~0U, CLOSE_RANGE_CLOEXEC);
  if (working_dir != nullptr && ::chdir(working_dir) != 0) fail(errno);
  ::execve(program, argv, envp);
  fail(errno);
  ::_exit(127);
}

}  // namespace

std::string ExitStatus::describe() const {
  if (signal != 0) return fmt::format("killed by signal {} ({})", signal, ::strsignal(signal));
  return fmt::format("exited with code {}", code);
}

std::ostream& operator<<(std::ostream& out, const ExitStatus& status) {
  return out << status.describe();
}

ChildProcess::ChildProcess(std::vector<std::string> argv, SpawnOptions options)
    : argv_(std::move(argv)) {
  if (argv_.empty()) throw std::invalid_argument("ChildProcess needs a program to run");
  output_path_ = options.output_path;
  if (output_path_.empty()) {
    own_dir_.emplace("herald-child-");
    output_path_ = own_dir_->path() / "output.log";
  }
  UniqueFd output(::open(output_path_.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644));
  if (output.get() < 0) {
    throw std::runtime_error(
        fmt::format("cannot open {}: {}", output_path_.string(), std::strerror(errno)));
  }
  std::optional<UserIds> user;
  if (!options.run_as_user.empty() && running_as_root()) user = lookup_user(options.run_as_user);

  // Everything the child needs is prepared before fork: after it only exec-safe calls.
  std::vector<std::string> argv_copy = argv_;
  std::vector<std::string> env = child_environment(options);
  const std::string program = resolve_program(argv_.front(), env);
  std::vector<char*> argv_pointers = c_pointers(argv_copy);
  std::vector<char*> env_pointers = c_pointers(env);
  const std::string working_dir = options.working_dir.string();
  int error_pipe[2];
  if (::pipe2(error_pipe, O_CLOEXEC) != 0) {
    throw std::runtime_error(fmt::format("pipe2: {}", std::strerror(errno)));
  }
  UniqueFd error_read(error_pipe[0]);
  UniqueFd error_write(error_pipe[1]);
  const pid_t parent = ::getpid();
  owner_ = parent;

  pid_ = ::fork();
  if (pid_ < 0) throw std::runtime_error(fmt::format("fork: {}", std::strerror(errno)));
  if (pid_ == 0) {
    exec_child(program.c_str(), argv_pointers.data(), env_pointers.data(), output.get(),
               error_write.get(), working_dir.empty() ? nullptr : working_dir.c_str(), user,
               parent);
  }
  error_write.reset();
  int child_errno = 0;
  ssize_t got = 0;
  do {
    got = ::read(error_read.get(), &child_errno, sizeof child_errno);
  } while (got < 0 && errno == EINTR);
  if (got > 0) {
    reap_blocking();
    pid_ = -1;
    throw std::runtime_error(
        fmt::format("cannot start {}: {}", argv_.front(), std::strerror(child_errno)));
  }
}

ChildProcess::~ChildProcess() {
  release();
}

ChildProcess::ChildProcess(ChildProcess&& other) noexcept
    : argv_(std::move(other.argv_)),
      own_dir_(std::move(other.own_dir_)),
      output_path_(std::move(other.output_path_)),
      pid_(std::exchange(other.pid_, -1)),
      owner_(other.owner_),
      status_(std::move(other.status_)) {}

ChildProcess& ChildProcess::operator=(ChildProcess&& other) noexcept {
  if (this != &other) {
    release();
    argv_ = std::move(other.argv_);
    own_dir_ = std::move(other.own_dir_);
    output_path_ = std::move(other.output_path_);
    pid_ = std::exchange(other.pid_, -1);
    owner_ = other.owner_;
    status_ = std::move(other.status_);
  }
  return *this;
}

void ChildProcess::release() noexcept {
  if (pid_ > 0 && !status_ && ::getpid() == owner_) {
    ::kill(-pid_, SIGKILL);
    ::kill(pid_, SIGKILL);
    reap_blocking();
  }
  pid_ = -1;
}

void ChildProcess::reap_blocking() noexcept {
  int raw = 0;
  pid_t reaped = 0;
  do {
    reaped = ::waitpid(pid_, &raw, 0);
  } while (reaped < 0 && errno == EINTR);
  if (reaped == pid_) status_ = decode_wait_status(raw);
}

bool ChildProcess::running() {
  return pid_ > 0 && ::getpid() == owner_ && !exit_status();
}

std::optional<ExitStatus> ChildProcess::exit_status() {
  if (pid_ > 0 && !status_) {
    int raw = 0;
    if (::waitpid(pid_, &raw, WNOHANG) == pid_) status_ = decode_wait_status(raw);
  }
  return status_;
}

void ChildProcess::signal(int signo) {
  if (running()) ::kill(pid_, signo);
}

void ChildProcess::signal_group(int signo) {
  if (running()) ::kill(-pid_, signo);
}

ExitStatus ChildProcess::kill() {
  if (pid_ > 0 && !status_ && ::getpid() == owner_) {
    ::kill(-pid_, SIGKILL);
    ::kill(pid_, SIGKILL);
    reap_blocking();
  }
  return status_.value_or(ExitStatus{});
}

std::optional<ExitStatus> ChildProcess::wait_for_exit(std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (running() && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return exit_status();
}

std::string ChildProcess::output() const {
  return file_content_from(output_path_, 0);
}

std::size_t ChildProcess::output_size() const {
  return static_cast<std::size_t>(file_size_or_zero(output_path_));
}

std::string ChildProcess::output_tail(std::size_t max_lines) const {
  return file_tail(output_path_, max_lines);
}

::testing::AssertionResult ChildProcess::wait_for_output(std::string_view needle,
                                                         std::chrono::milliseconds timeout,
                                                         std::size_t from) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (true) {
    // Check the status before the output so a line written just before exit still counts.
    const bool exited = !running();
    if (file_content_from(output_path_, from).find(needle) != std::string::npos) {
      return ::testing::AssertionSuccess();
    }
    if (exited) {
      return ::testing::AssertionFailure()
             << argv_.front() << " " << status_.value_or(ExitStatus{}).describe()
             << " without printing \"" << needle << "\"; its output ends with:\n"
             << output_tail();
    }
    if (std::chrono::steady_clock::now() >= deadline) {
      return ::testing::AssertionFailure()
             << argv_.front() << " did not print \"" << needle << "\" within " << timeout.count()
             << " ms; its output ends with:\n"
             << output_tail();
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
}

}  // namespace herald::testing
