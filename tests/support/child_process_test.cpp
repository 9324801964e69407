// ChildProcess and eventually(): the tools later integration tests use to run `herald run`
// and SIGKILL it mid-stream.

#include <gtest/gtest.h>
#include <signal.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>
#include <thread>

#include "support/child_process.hpp"
#include "support/eventually.hpp"
#include "support/herald_binary.hpp"
#include "support/temp_dir.hpp"

namespace herald::testing {
namespace {

using namespace std::chrono_literals;

// Alive = exists and is not a zombie (an orphan's zombie waits for init to reap it).
bool process_exists(pid_t pid) {
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string line;
  if (!std::getline(stat, line)) return false;
  const auto after_command = line.rfind(')');
  return after_command != std::string::npos && line.at(after_command + 2) != 'Z';
}

TEST(ChildProcess, ReportsTheExitCode) {
  ChildProcess child({"sh", "-c", "exit 3"});
  const auto status = child.wait_for_exit(10s);
  ASSERT_TRUE(status.has_value());
  EXPECT_TRUE(status->exited_with(3)) << *status;
  EXPECT_FALSE(child.running());
}

TEST(ChildProcess, CapturesStdoutAndStderrAndPassesEnvironment) {
  ChildProcess child({"sh", "-c", "echo \"out $HERALD_TEST_VALUE\"; echo err >&2"},
                     SpawnOptions().set_env("HERALD_TEST_VALUE", "forty-two"));
  ASSERT_TRUE(child.wait_for_exit(10s).has_value());
  EXPECT_EQ(child.output(), "out forty-two\nerr\n");
}

TEST(ChildProcess, UnsetsEnvironmentVariables) {
  ::setenv("HERALD_TEST_UNSET_ME", "present", 1);
  ChildProcess child({"sh", "-c", "echo \"[${HERALD_TEST_UNSET_ME:-absent}]\""},
                     SpawnOptions().unset("HERALD_TEST_UNSET_ME"));
  ::unsetenv("HERALD_TEST_UNSET_ME");
  ASSERT_TRUE(child.wait_for_exit(10s).has_value());
  EXPECT_EQ(child.output(), "[absent]\n");
}

TEST(ChildProcess, RunsInTheGivenWorkingDirectory) {
  ChildProcess child({"pwd"}, SpawnOptions().in_dir("/usr"));
  ASSERT_TRUE(child.wait_for_exit(10s).has_value());
  EXPECT_EQ(child.output(), "/usr\n");
}

TEST(ChildProcess, WaitsForOutputThenDiesBySigkill) {
  ChildProcess child({"sh", "-c", "echo ready; exec sleep 60"});
  ASSERT_TRUE(child.wait_for_output("ready", 10s));
  EXPECT_TRUE(child.running());
  const ExitStatus status = child.kill();
  EXPECT_TRUE(status.killed_by(SIGKILL)) << status;
  EXPECT_FALSE(child.running());
}

TEST(ChildProcess, WaitsForOutputAfterAnOffset) {
  TempDir dir;
  const auto go = dir.path() / "go";
  // The second tick waits for the test's go-ahead, so the offset falls between the two.
  ChildProcess child({"sh", "-c",
                      "echo tick; while [ ! -e \"$GO\" ]; do sleep 0.01; done; "
                      "echo tick; exec sleep 60"},
                     SpawnOptions().set_env("GO", go.string()));
  ASSERT_TRUE(child.wait_for_output("tick", 10s));
  const std::size_t seen = child.output_size();
  EXPECT_EQ(seen, 5U);
  EXPECT_FALSE(child.wait_for_output("tick", 50ms, seen));
  std::ofstream(go.string()) << "";
  ASSERT_TRUE(child.wait_for_output("tick", 10s, seen));
  EXPECT_EQ(child.output(), "tick\ntick\n");
}

TEST(ChildProcess, DeliversSignals) {
  ChildProcess child({"sh", "-c",
                      "trap 'echo got-term; exit 7' TERM; echo armed; "
                      "while true; do sleep 0.01; done"});
  ASSERT_TRUE(child.wait_for_output("armed", 10s));
  child.signal(SIGTERM);
  const auto status = child.wait_for_exit(10s);
  ASSERT_TRUE(status.has_value());
  EXPECT_TRUE(status->exited_with(7)) << *status;
  EXPECT_NE(child.output().find("got-term"), std::string::npos);
}

TEST(ChildProcess, WaitForOutputFailsEarlyWhenTheChildExits) {
  ChildProcess child({"sh", "-c", "echo something-else"});
  const auto started = std::chrono::steady_clock::now();
  const auto result = child.wait_for_output("never printed", 30s);
  EXPECT_FALSE(result);
  EXPECT_LT(std::chrono::steady_clock::now() - started, 10s);
  EXPECT_NE(std::string(result.message()).find("something-else"), std::string::npos)
      << result.message();
}

TEST(ChildProcess, WaitForOutputTimesOut) {
  ChildProcess child({"sleep", "60"});
  const auto result = child.wait_for_output("nothing", 100ms);
  EXPECT_FALSE(result);
  EXPECT_NE(std::string(result.message()).find("within 100 ms"), std::string::npos)
      << result.message();
}

TEST(ChildProcess, WaitForExitTimesOutWhileRunning) {
  ChildProcess child({"sleep", "60"});
  EXPECT_FALSE(child.wait_for_exit(50ms).has_value());
  EXPECT_TRUE(child.running());
}

TEST(ChildProcess, DestructorKillsTheWholeProcessGroup) {
  pid_t shell = 0;
  pid_t grandchild = 0;
  {
    // The shell forks `sleep` into the child's process group and reports its pid.
    ChildProcess child({"sh", "-c", "sleep 60 & echo \"grandchild $!\"; wait"});
    ASSERT_TRUE(child.wait_for_output("grandchild ", 10s));
    ASSERT_TRUE(eventually([&] { return child.output().find('\n') != std::string::npos; }, 5s));
    shell = child.pid();
    grandchild = std::stoi(child.output().substr(std::string("grandchild ").size()));
    ASSERT_TRUE(process_exists(grandchild));
  }
  EXPECT_FALSE(process_exists(shell));
  EXPECT_TRUE(eventually([&] { return !process_exists(grandchild); }, 10s));
}

TEST(ChildProcess, ThrowsWhenTheProgramDoesNotExist) {
  EXPECT_THROW(ChildProcess({"/nonexistent/herald-no-such-program"}), std::runtime_error);
}

TEST(ChildProcess, AppendsToAGivenOutputFile) {
  ChildProcess first({"echo", "one"});
  ASSERT_TRUE(first.wait_for_exit(10s).has_value());
  ChildProcess second({"echo", "two"}, SpawnOptions().output_to(first.output_path()));
  ASSERT_TRUE(second.wait_for_exit(10s).has_value());
  EXPECT_EQ(second.output(), "one\ntwo\n");
}

TEST(HeraldBinary, HonoursTheHeraldBinaryVariable) {
  ::setenv("HERALD_BINARY", "/bin/true", 1);
  EXPECT_EQ(herald_binary(), std::filesystem::path("/bin/true"));
  ::setenv("HERALD_BINARY", "/nonexistent/herald", 1);
  EXPECT_THROW(herald_binary(), std::runtime_error);
  ::unsetenv("HERALD_BINARY");
}

TEST(Eventually, SucceedsOnceTheConditionHolds) {
  std::atomic<bool> flag{false};
  std::thread setter([&] {
    std::this_thread::sleep_for(20ms);
    flag = true;
  });
  EXPECT_TRUE(eventually([&] { return flag.load(); }, 10s));
  setter.join();
}

TEST(Eventually, FailsWithTheTimeoutInItsMessage) {
  const auto result = eventually([] { return false; }, 30ms);
  EXPECT_FALSE(result);
  EXPECT_NE(std::string(result.message()).find("30 ms"), std::string::npos) << result.message();
}

}  // namespace
}  // namespace herald::testing
