#include "support/postgres_template.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <mutex>
#include <stdexcept>

#include <fmt/format.h>

#include "support/child_process.hpp"
#include "support/postgres_server.hpp"
#include "support/temp_dir.hpp"

namespace herald::testing {

namespace {

// Bump when the template's contents change, so stale caches are not reused.
constexpr const char* kTemplateName = "pg15-template-v3";
constexpr const char* kReadyMarker = "herald-template-ready";

constexpr const char* kSettings = R"(
# herald test servers (appended by tests/support)
listen_addresses = '127.0.0.1'
wal_level = logical
max_replication_slots = 32
max_wal_senders = 32
max_connections = 200
shared_buffers = 32MB
# in the data directory, so a SIGKILLed server leaves nothing behind in /dev/shm
dynamic_shared_memory_type = mmap
log_line_prefix = '%m [%p] %q%u@%d '
)";

constexpr const char* kHba = R"(# herald test servers: trust on the socket and loopback only
local   all          all                 trust
host    all          all   127.0.0.1/32  trust
local   replication  all                 trust
host    replication  all   127.0.0.1/32  trust
)";

std::filesystem::path cache_root() {
  const char* configured = std::getenv("HERALD_TEST_CACHE");
  if (configured != nullptr && *configured != '\0') return configured;
  return fmt::format("/tmp/herald-test-cache-{}", ::geteuid());
}

// An exclusive flock held for the object's lifetime.
class FileLock {
 public:
  explicit FileLock(const std::filesystem::path& path)
      : fd_(::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644)) {
    if (fd_ < 0 || ::flock(fd_, LOCK_EX) != 0) {
      throw std::runtime_error(
          fmt::format("cannot lock {}: {}", path.string(), std::strerror(errno)));
    }
  }
  ~FileLock() { ::close(fd_); }  // closing releases the lock
  FileLock(const FileLock&) = delete;
  FileLock& operator=(const FileLock&) = delete;

 private:
  int fd_;
};

void append_file(const std::filesystem::path& path, const char* text, std::ios::openmode mode) {
  std::ofstream out(path, mode);
  out << text;
  if (!out) throw std::runtime_error(fmt::format("cannot write {}", path.string()));
}

void build_template(const std::filesystem::path& building, const std::filesystem::path& ready) {
  std::filesystem::remove_all(building);
  std::filesystem::create_directory(building);
  std::filesystem::permissions(building, std::filesystem::perms::owner_all);
  if (running_as_root()) chown_recursive(building, lookup_user("postgres"));
  ChildProcess initdb({fmt::format("{}/initdb", kPostgresBinDir), "-D", building.string(), "-U",
                       kPostgresUser, "--auth=trust", "--encoding=UTF8", "--locale=C", "--no-sync",
                       "--no-instructions", "--wal-segsize=1"},
                      SpawnOptions().set_env("LC_ALL", "C").as_user("postgres"));
  const auto status = initdb.wait_for_exit(std::chrono::minutes(2));
  if (!status || !status->exited_with(0)) {
    throw std::runtime_error(fmt::format("initdb failed ({}):\n{}",
                                         status ? status->describe() : "timed out",
                                         initdb.output_tail()));
  }
  append_file(building / "postgresql.conf", kSettings, std::ios::app);
  append_file(building / "pg_hba.conf", kHba, std::ios::trunc);
  append_file(building / kReadyMarker, "", std::ios::trunc);
  if (running_as_root()) chown_recursive(building, lookup_user("postgres"));
  std::filesystem::rename(building, ready);
}

}  // namespace

std::filesystem::path postgres_template_dir() {
  static std::mutex mutex;
  static std::filesystem::path known;
  const std::lock_guard guard(mutex);
  if (!known.empty()) return known;

  const std::filesystem::path root = cache_root();
  std::filesystem::create_directories(root);
  // As root, initdb runs as `postgres`, which must be able to reach the directory.
  if (running_as_root()) {
    std::filesystem::permissions(
        root, std::filesystem::perms::owner_all | std::filesystem::perms::group_read |
                  std::filesystem::perms::group_exec | std::filesystem::perms::others_read |
                  std::filesystem::perms::others_exec);
  }
  const std::filesystem::path ready = root / kTemplateName;
  const FileLock lock(root / (std::string(kTemplateName) + ".lock"));
  if (!std::filesystem::exists(ready / kReadyMarker)) {
    std::filesystem::remove_all(ready);  // a leftover without the marker is not trusted
    build_template(root / (std::string(kTemplateName) + ".building"), ready);
  }
  known = ready;
  return known;
}

void copy_postgres_template(const std::filesystem::path& target) {
  const std::filesystem::path source = postgres_template_dir();
  std::filesystem::copy(
      source, target,
      std::filesystem::copy_options::recursive | std::filesystem::copy_options::copy_symlinks);
  std::filesystem::remove(target / kReadyMarker);
  std::filesystem::permissions(target, std::filesystem::perms::owner_all);
  if (running_as_root()) chown_recursive(target, lookup_user("postgres"));
}

}  // namespace herald::testing
