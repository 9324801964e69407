#pragma once
// A uniquely named temporary directory that is removed with everything in it when its
// owner goes away, plus what tests need to hand such directories to another user:
// PostgreSQL refuses to run as root, so as root its directories belong to `postgres`.

#include <sys/types.h>

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace herald::testing {

struct UserIds {
  uid_t uid = 0;
  gid_t gid = 0;
};

// The effective user is root (uid 0).
bool running_as_root();

// The ids of a local user; throws std::runtime_error when the user does not exist.
UserIds lookup_user(const std::string& name);

// Hands `path` and everything below it to `user` (lchown, symlinks are not followed).
void chown_recursive(const std::filesystem::path& path, const UserIds& user);

// The file's bytes from `offset` on ("" when it cannot be read): a log since a restart.
std::string file_content_from(const std::filesystem::path& path, std::uintmax_t offset = 0);

// The file's size, 0 when it does not exist.
std::uintmax_t file_size_or_zero(const std::filesystem::path& path);

// The last `max_lines` lines of a text file ("" when it cannot be read): for error messages.
std::string file_tail(const std::filesystem::path& path, std::size_t max_lines = 40);

// Removes the herald-* directories under `base` whose owner process (recorded by TempDir)
// has exited. TempDir calls it once per process.
void remove_directories_of_dead_owners(const std::filesystem::path& base);

// When the running gtest test has failed: prints the log's tail to stderr, since the
// server's directory (and its log) goes away with it. Servers call it on destruction.
void print_log_if_test_failed(std::string_view server, const std::filesystem::path& log);

// $TMPDIR, else /tmp: on disk, where fsync means something (benchmarks).
std::filesystem::path disk_temp_base();

// Where test servers keep their files: $HERALD_TEST_TMPDIR, else /dev/shm when it is a
// writable tmpfs (copying a PostgreSQL data directory there takes 0.2 s instead of
// seconds on a busy disk), else disk_temp_base().
std::filesystem::path scratch_base();

// Creates <base>/<prefix>XXXXXX (mode 0700) and removes it recursively on destruction
// (kept, and named on stderr, when HERALD_TEST_KEEP_DIRS=1). Move-only. A SIGKILLed test cannot
// clean up, so each directory records its owner process, and the first TempDir of a process in a
// base removes the directories there whose owners have died.
class TempDir {
 public:
  explicit TempDir(std::string_view prefix = "herald-test-",
                   const std::filesystem::path& base = scratch_base());
  ~TempDir();
  TempDir(TempDir&& other) noexcept;
  TempDir& operator=(TempDir&& other) noexcept;
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::filesystem::path& path() const { return path_; }

 private:
  void remove() noexcept;
  std::filesystem::path path_;
  pid_t owner_ = -1;  // a fork of the test (a gtest death test) must not remove it
};

}  // namespace herald::testing
