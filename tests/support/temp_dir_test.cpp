// TempDir: removed with its owner, and swept up after owners that were SIGKILLed.

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "support/temp_dir.hpp"

namespace herald::testing {
namespace {

TEST(TempDir, IsRemovedWithEverythingInIt) {
  std::filesystem::path path;
  {
    TempDir dir("herald-unit-");
    path = dir.path();
    std::filesystem::create_directories(path / "a" / "b");
    std::ofstream(path / "a" / "b" / "file") << "x";
    EXPECT_TRUE(std::filesystem::is_directory(path));
  }
  EXPECT_FALSE(std::filesystem::exists(path));
}

TEST(TempDir, SweepRemovesOnlyDirectoriesOfDeadOwners) {
  TempDir base("herald-sweep-");
  const auto make = [&](const std::string& name, const std::string& owner) {
    std::filesystem::create_directory(base.path() / name);
    if (!owner.empty()) std::ofstream(base.path() / name / ".herald-owner") << owner << "\n";
  };
  TempDir alive("herald-unit-");  // records this process as its owner
  std::string alive_owner;
  std::getline(std::ifstream(alive.path() / ".herald-owner"), alive_owner);
  ASSERT_FALSE(alive_owner.empty());
  make("herald-pg-dead", "2147483000 12345");                                     // no such pid
  make("herald-pg-reused", alive_owner.substr(0, alive_owner.find(' ')) + " 1");  // pid reused
  make("herald-pg-alive", alive_owner);
  make("herald-pg-unowned", "");           // being created: no owner file yet
  make("other-dead", "2147483000 12345");  // not ours

  remove_directories_of_dead_owners(base.path());

  EXPECT_FALSE(std::filesystem::exists(base.path() / "herald-pg-dead"));
  EXPECT_FALSE(std::filesystem::exists(base.path() / "herald-pg-reused"));
  EXPECT_TRUE(std::filesystem::exists(base.path() / "herald-pg-alive"));
  EXPECT_TRUE(std::filesystem::exists(base.path() / "herald-pg-unowned"));
  EXPECT_TRUE(std::filesystem::exists(base.path() / "other-dead"));
}

TEST(FileTail, KeepsTheLastLines) {
  TempDir dir;
  std::ofstream(dir.path() / "log") << "one\ntwo\nthree\n";
  EXPECT_EQ(file_tail(dir.path() / "log", 2), "two\nthree\n");
  EXPECT_EQ(file_content_from(dir.path() / "log", 4), "two\nthree\n");
  EXPECT_EQ(file_size_or_zero(dir.path() / "log"), 14U);
  EXPECT_EQ(file_size_or_zero(dir.path() / "missing"), 0U);
}

}  // namespace
}  // namespace herald::testing
