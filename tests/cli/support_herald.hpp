#pragma once
// Running the real `herald` binary in integration tests: a fraiseql.toml with names of its
// own (slot, publication, stream, subject prefix) so tests can share servers, one-shot
// commands (`herald setup`, a `herald run` expected to fail), and a long-running
// `herald run` that a test can kill and restart.

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "support/child_process.hpp"
#include "support/temp_dir.hpp"

namespace herald::testing {

// Names no other test uses.
struct CaptureNames {
  std::string slot;
  std::string publication;
  std::string stream;
  std::string prefix;  // subject prefix

  static CaptureNames unique();
};

// A fraiseql.toml in a temp dir: [database], [observers] with the names, then `rules`
// (the [[observers]] blocks, written as a user would). `observer_keys` are extra lines
// under [observers] (e.g. `format = "cloudevents"`).
class HeraldConfig {
 public:
  HeraldConfig(std::string database_url, std::string nats_url, std::string rules,
               std::string observer_keys = "");

  const std::filesystem::path& path() const { return path_; }
  const CaptureNames& names() const { return names_; }
  const std::string& stream() const { return names_.stream; }
  const std::string& prefix() const { return names_.prefix; }
  const std::string& nats_url() const { return nats_url_; }
  // The file's text, for failure messages.
  const std::string& text() const { return text_; }

  // Writes the file again with other rules (same names).
  void rewrite(std::string rules, std::string observer_keys = "");
  // Points the config at other servers (same names).
  void retarget(std::string database_url, std::string nats_url);
  // Writes the file again with more top-level tables (e.g. a [server] table), placed
  // between [database] and [observers].
  void set_sections(std::string sections);
  // The folder holding the config, where files it names (a schema) can be written.
  const std::filesystem::path& dir() const { return dir_.path(); }

 private:
  void write();

  TempDir dir_;
  std::filesystem::path path_;
  CaptureNames names_;
  std::string database_url_;
  std::string nats_url_;
  std::string rules_;
  std::string observer_keys_;
  std::string sections_;
  std::string text_;
};

struct CommandResult {
  ExitStatus status;
  std::string output;  // stdout and stderr together
};

// Runs `herald <args...>` to completion. A command still running after `timeout` is killed
// and reported as killed by SIGKILL.
CommandResult run_herald(const std::vector<std::string>& args,
                         std::chrono::milliseconds timeout = std::chrono::seconds(30));

// `herald run -c <config>` in the background. Every start appends to the same log, so a
// test that kills and restarts it keeps the whole story for its failure messages.
class HeraldProcess {
 public:
  explicit HeraldProcess(std::filesystem::path config);
  ~HeraldProcess();
  HeraldProcess(const HeraldProcess&) = delete;
  HeraldProcess& operator=(const HeraldProcess&) = delete;

  // Starts `herald run` and waits until it streams from the slot (its log says
  // "capturing from slot"). Fails early, with the log, when herald exits instead.
  ::testing::AssertionResult start(std::chrono::milliseconds timeout = std::chrono::seconds(20));
  bool running();
  // SIGKILL: a crash.
  ExitStatus kill();
  // SIGTERM, then waits for the exit (nullopt when it does not exit within `timeout`).
  std::optional<ExitStatus> terminate(std::chrono::milliseconds timeout = std::chrono::seconds(30));
  // Waits until the log, since the last start, contains `needle`.
  ::testing::AssertionResult wait_for_log(const std::string& needle,
                                          std::chrono::milliseconds timeout);
  // The log since the last start, and the whole log's tail.
  std::string log_since_start() const;
  std::string log_tail(std::size_t lines = 60) const { return file_tail(log_path_, lines); }
  int starts() const { return starts_; }

 private:
  std::filesystem::path config_;
  TempDir dir_;
  std::filesystem::path log_path_;
  std::uintmax_t start_offset_ = 0;
  std::optional<ChildProcess> process_;
  int starts_ = 0;
};

}  // namespace herald::testing
