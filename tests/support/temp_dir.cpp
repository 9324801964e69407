#include "support/temp_dir.hpp"

#include <linux/magic.h>
#include <pwd.h>
#include <sys/statfs.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <fstream>
#include <iostream>
#include <mutex>
#include <set>
#include <sstream>
#include <stdexcept>
#include <system_error>
#include <vector>

#include <fmt/format.h>
#include <gtest/gtest.h>

namespace herald::testing {

bool running_as_root() {
  return geteuid() == 0;
}

UserIds lookup_user(const std::string& name) {
  passwd entry{};
  passwd* found = nullptr;
  std::vector<char> buffer(16384);
  const int rc = getpwnam_r(name.c_str(), &entry, buffer.data(), buffer.size(), &found);
  if (rc != 0 || found == nullptr) {
    throw std::runtime_error(fmt::format("user '{}' does not exist on this machine", name));
  }
  return UserIds{entry.pw_uid, entry.pw_gid};
}

namespace {

void lchown_or_throw(const std::filesystem::path& path, const UserIds& user) {
  if (::lchown(path.c_str(), user.uid, user.gid) != 0) {
    throw std::runtime_error(fmt::format("cannot chown {} to uid {}: {}", path.string(), user.uid,
                                         std::strerror(errno)));
  }
}

}  // namespace

void chown_recursive(const std::filesystem::path& path, const UserIds& user) {
  lchown_or_throw(path, user);
  if (!std::filesystem::is_directory(std::filesystem::symlink_status(path))) return;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(path)) {
    lchown_or_throw(entry.path(), user);
  }
}

std::string file_content_from(const std::filesystem::path& path, std::uintmax_t offset) {
  std::ifstream in(path, std::ios::binary);
  in.seekg(static_cast<std::streamoff>(offset));
  std::ostringstream content;
  content << in.rdbuf();
  return content.str();
}

std::uintmax_t file_size_or_zero(const std::filesystem::path& path) {
  std::error_code error;
  const auto size = std::filesystem::file_size(path, error);
  return error ? 0 : size;
}

std::string file_tail(const std::filesystem::path& path, std::size_t max_lines) {
  std::ifstream in(path);
  std::deque<std::string> lines;
  std::string line;
  while (std::getline(in, line)) {
    lines.push_back(std::move(line));
    if (lines.size() > max_lines) lines.pop_front();
  }
  std::string tail;
  for (const auto& kept : lines) tail += kept + "\n";
  return tail;
}

namespace {

constexpr const char* kOwnerFile = ".herald-owner";

// "<pid> <start time>" of a process, "" when it is gone or a zombie. The start time tells
// a live owner from a new process that reused its pid.
std::string process_identity(const std::string& pid) {
  std::ifstream stat("/proc/" + pid + "/stat");
  std::string line;
  if (!std::getline(stat, line)) return "";
  const auto after_command = line.rfind(')');
  if (after_command == std::string::npos) return "";
  std::istringstream fields(line.substr(after_command + 2));
  std::string field;
  std::vector<std::string> values;
  while (fields >> field) values.push_back(field);
  // values[0] is field 3 (state); the start time is field 22.
  if (values.size() < 20 || values[0] == "Z") return "";
  return pid + " " + values[19];
}

}  // namespace

void remove_directories_of_dead_owners(const std::filesystem::path& base) {
  std::error_code error;
  for (const auto& entry : std::filesystem::directory_iterator(base, error)) {
    if (entry.path().filename().string().rfind("herald-", 0) != 0) continue;
    std::ifstream owner_file(entry.path() / kOwnerFile);
    std::string owner;
    if (!std::getline(owner_file, owner) || owner.empty()) continue;
    if (process_identity(owner.substr(0, owner.find(' '))) == owner) continue;
    std::error_code ignored;
    std::filesystem::remove_all(entry.path(), ignored);
  }
}

void print_log_if_test_failed(std::string_view server, const std::filesystem::path& log) {
  if (!::testing::Test::HasFailure()) return;
  std::cerr << "---- " << server << " log (" << log.string() << "), last lines:\n"
            << file_tail(log, 60) << "---- end of " << server << " log\n";
}

std::filesystem::path disk_temp_base() {
  const char* tmpdir = std::getenv("TMPDIR");
  return (tmpdir != nullptr && *tmpdir != '\0') ? tmpdir : "/tmp";
}

std::filesystem::path scratch_base() {
  const char* configured = std::getenv("HERALD_TEST_TMPDIR");
  if (configured != nullptr && *configured != '\0') return configured;
  struct statfs info {};
  const bool shm_is_tmpfs = ::statfs("/dev/shm", &info) == 0 && info.f_type == TMPFS_MAGIC &&
                            ::access("/dev/shm", W_OK | X_OK) == 0;
  return shm_is_tmpfs ? std::filesystem::path("/dev/shm") : disk_temp_base();
}

TempDir::TempDir(std::string_view prefix, const std::filesystem::path& base) {
  {
    static std::mutex mutex;
    static std::set<std::filesystem::path> swept;
    const std::lock_guard guard(mutex);
    if (swept.insert(base).second) remove_directories_of_dead_owners(base);
  }
  std::string pattern = (base / fmt::format("{}XXXXXX", prefix)).string();
  if (::mkdtemp(pattern.data()) == nullptr) {
    throw std::runtime_error(
        fmt::format("cannot create temporary directory {}: {}", pattern, std::strerror(errno)));
  }
  path_ = pattern;
  owner_ = ::getpid();
  std::ofstream(path_ / kOwnerFile) << process_identity(std::to_string(::getpid())) << "\n";
}

TempDir::~TempDir() {
  remove();
}

TempDir::TempDir(TempDir&& other) noexcept : path_(std::move(other.path_)), owner_(other.owner_) {
  other.path_.clear();
}

TempDir& TempDir::operator=(TempDir&& other) noexcept {
  if (this != &other) {
    remove();
    path_ = std::move(other.path_);
    owner_ = other.owner_;
    other.path_.clear();
  }
  return *this;
}

void TempDir::remove() noexcept {
  if (path_.empty() || ::getpid() != owner_) return;
  const char* keep = std::getenv("HERALD_TEST_KEEP_DIRS");
  if (keep != nullptr && std::string_view(keep) == "1") {
    std::cerr << "kept " << path_.string() << " (HERALD_TEST_KEEP_DIRS=1)\n";
    std::ofstream(path_ / kOwnerFile, std::ios::trunc);  // the sweep must not take it
    path_.clear();
    return;
  }
  std::error_code error;
  std::filesystem::remove_all(path_, error);
  if (error) std::cerr << "warning: cannot remove " << path_ << ": " << error.message() << "\n";
  path_.clear();
}

}  // namespace herald::testing
