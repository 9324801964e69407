#include "cli/support_herald.hpp"

#include <csignal>
#include <fstream>
#include <thread>

#include <fmt/format.h>

#include "support/herald_binary.hpp"
#include "support/shared_servers.hpp"

namespace herald::testing {

CaptureNames CaptureNames::unique() {
  // Slots, publications, streams and subjects live in separate namespaces, so one name
  // (unique on this machine: pid and counter) serves for all four.
  const std::string name = unique_name();
  return CaptureNames{name, name, name, name};
}

HeraldConfig::HeraldConfig(std::string database_url, std::string nats_url, std::string rules,
                           std::string observer_keys)
    : dir_("herald-run-test-"),
      path_(dir_.path() / "fraiseql.toml"),
      names_(CaptureNames::unique()),
      database_url_(std::move(database_url)),
      nats_url_(std::move(nats_url)),
      rules_(std::move(rules)),
      observer_keys_(std::move(observer_keys)) {
  write();
}

void HeraldConfig::rewrite(std::string rules, std::string observer_keys) {
  rules_ = std::move(rules);
  observer_keys_ = std::move(observer_keys);
  write();
}

void HeraldConfig::retarget(std::string database_url, std::string nats_url) {
  database_url_ = std::move(database_url);
  nats_url_ = std::move(nats_url);
  write();
}

void HeraldConfig::set_sections(std::string sections) {
  sections_ = std::move(sections);
  write();
}

void HeraldConfig::write() {
  text_ = fmt::format(
      "[database]\n"
      "url = \"{}\"\n"
      "\n"
      "{}"
      "[observers]\n"
      "backend = \"nats\"\n"
      "nats_url = \"{}\"\n"
      "slot = \"{}\"\n"
      "publication = \"{}\"\n"
      "stream = \"{}\"\n"
      "subject_prefix = \"{}\"\n"
      "{}\n"
      "{}",
      database_url_, sections_, nats_url_, names_.slot, names_.publication, names_.stream,
      names_.prefix, observer_keys_, rules_);
  std::ofstream out(path_, std::ios::trunc);
  out << text_;
}

CommandResult run_herald(const std::vector<std::string>& args, std::chrono::milliseconds timeout) {
  std::vector<std::string> argv{herald_binary().string()};
  argv.insert(argv.end(), args.begin(), args.end());
  ChildProcess child(argv);
  auto status = child.wait_for_exit(timeout);
  if (!status) status = child.kill();
  return CommandResult{*status, child.output()};
}

HeraldProcess::HeraldProcess(std::filesystem::path config)
    : config_(std::move(config)), dir_("herald-run-log-"), log_path_(dir_.path() / "herald.log") {}

HeraldProcess::~HeraldProcess() {
  if (process_) process_->kill();
}

::testing::AssertionResult HeraldProcess::start(std::chrono::milliseconds timeout) {
  if (process_ && process_->running()) return ::testing::AssertionFailure() << "already running";
  start_offset_ = file_size_or_zero(log_path_);
  ++starts_;
  process_.emplace(
      std::vector<std::string>{herald_binary().string(), "run", "-c", config_.string()},
      SpawnOptions().output_to(log_path_).unset("HERALD_CONFIG"));
  return wait_for_log("capturing from slot", timeout);
}

bool HeraldProcess::running() {
  return process_ && process_->running();
}

ExitStatus HeraldProcess::kill() {
  return process_ ? process_->kill() : ExitStatus{};
}

std::optional<ExitStatus> HeraldProcess::terminate(std::chrono::milliseconds timeout) {
  if (!process_) return std::nullopt;
  process_->signal(SIGTERM);
  return process_->wait_for_exit(timeout);
}

::testing::AssertionResult HeraldProcess::wait_for_log(const std::string& needle,
                                                       std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (true) {
    // The status first, so that a line written just before an exit still counts.
    const bool exited = !running();
    if (log_since_start().find(needle) != std::string::npos) return ::testing::AssertionSuccess();
    if (exited) {
      return ::testing::AssertionFailure()
             << "herald run "
             << (process_ ? process_->exit_status().value_or(ExitStatus{}).describe()
                          : std::string("was not started"))
             << " without logging \"" << needle << "\"; its log:\n"
             << log_since_start();
    }
    if (std::chrono::steady_clock::now() >= deadline) {
      return ::testing::AssertionFailure() << "herald run did not log \"" << needle << "\" within "
                                           << timeout.count() << " ms; its log:\n"
                                           << log_tail();
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
}

std::string HeraldProcess::log_since_start() const {
  return file_content_from(log_path_, start_offset_);
}

}  // namespace herald::testing
