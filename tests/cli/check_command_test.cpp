// Runs the real herald binary, as a user would, and checks what it prints and returns.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace {

namespace fs = std::filesystem;

struct Outcome {
  int exit_code = -1;
  std::string out;
  std::string err;
};

std::string slurp(const fs::path& p) {
  std::ifstream in(p);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// `env_prefix` is e.g. "NATS_URL=nats://x"; the command runs under `env -i` so the
// developer's own environment cannot change the outcome.
Outcome herald(const std::string& args, const std::string& env_prefix = "") {
  fs::path dir = fs::temp_directory_path() / ("herald-cli-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  std::string cmd = "cd " HERALD_SOURCE_DIR " && env -i PATH=/usr/bin:/bin " + env_prefix + " " +
                    HERALD_BINARY + " " + args + " >" + (dir / "out").string() + " 2>" +
                    (dir / "err").string();
  int status = std::system(cmd.c_str());
  Outcome o;
  o.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  o.out = slurp(dir / "out");
  o.err = slurp(dir / "err");
  fs::remove_all(dir);
  return o;
}

TEST(HeraldCli, VersionPrintsNameAndVersion) {
  Outcome o = herald("--version");
  EXPECT_EQ(o.exit_code, 0);
  EXPECT_EQ(o.out.rfind("herald ", 0), 0u) << o.out;
}

TEST(HeraldCli, HelpListsCommands) {
  Outcome o = herald("--help");
  EXPECT_EQ(o.exit_code, 0);
  EXPECT_NE(o.out.find("check"), std::string::npos) << o.out;
  EXPECT_NE(o.out.find("Exit codes"), std::string::npos) << o.out;
}

TEST(HeraldCli, NoSubcommandIsBadInput) {
  Outcome o = herald("");
  EXPECT_EQ(o.exit_code, 1);
  EXPECT_FALSE(o.err.empty());
}

TEST(HeraldCli, UnknownSubcommandIsBadInput) {
  Outcome o = herald("frobnicate");
  EXPECT_EQ(o.exit_code, 1);
  EXPECT_NE(o.err.find("frobnicate"), std::string::npos) << o.err;
}

TEST(HeraldCheck, AcceptsTheGuidesNatsExample) {
  Outcome o = herald("check -c examples/guide/nats.toml", "NATS_URL=nats://127.0.0.1:4222");
  EXPECT_EQ(o.exit_code, 0) << o.err;
  EXPECT_NE(o.out.find("examples/guide/nats.toml: ok"), std::string::npos) << o.out;
  EXPECT_NE(o.out.find("deliver   nats fraiseql.order.created"), std::string::npos) << o.out;
  EXPECT_NE(o.out.find("deliver   nats fraiseql.order.updated"), std::string::npos) << o.out;
}

TEST(HeraldCheck, AcceptsTheGuidesWebhookExampleWithoutEchoingTheUrl) {
  Outcome o = herald("check -c examples/guide/webhook.toml",
                     "USER_CREATED_WEBHOOK_URL=https://hooks.example/very-secret-token");
  EXPECT_EQ(o.exit_code, 0) << o.err;
  EXPECT_NE(o.out.find("webhook POST $USER_CREATED_WEBHOOK_URL"), std::string::npos) << o.out;
  EXPECT_EQ(o.out.find("very-secret-token"), std::string::npos) << o.out;
}

TEST(HeraldCheck, AcceptsTheGuidesSubscribeExample) {
  Outcome o = herald("check -c examples/guide/subscribe.toml", "NATS_URL=nats://127.0.0.1:4222");
  EXPECT_EQ(o.exit_code, 0) << o.err;
  EXPECT_NE(o.out.find("fraiseql.order.created -> fn_reserve_inventory(jsonb)"), std::string::npos)
      << o.out;
}

TEST(HeraldRun, RefusesSubscriptionsItDoesNotServeAtTheirPlaces) {
  Outcome o = herald("run -c examples/guide/subscribe.toml", "NATS_URL=nats://127.0.0.1:4222");
  EXPECT_EQ(o.exit_code, 1) << o.err;
  EXPECT_NE(o.err.find("examples/guide/subscribe.toml:5:1: [[observers.subscribe]] is not served "
                       "by this herald yet: fn_reserve_inventory would never be called for "
                       "'fraiseql.order.created'"),
            std::string::npos)
      << o.err;
}

TEST(HeraldCheck, MissingEnvironmentVariableIsALocatedError) {
  Outcome o = herald("check -c examples/guide/nats.toml");
  EXPECT_EQ(o.exit_code, 1);
  EXPECT_NE(o.err.find("examples/guide/nats.toml:3:"), std::string::npos) << o.err;
  EXPECT_NE(o.err.find("NATS_URL"), std::string::npos) << o.err;
}

TEST(HeraldCheck, ReadsHeraldConfigFromTheEnvironment) {
  Outcome o = herald("check", "HERALD_CONFIG=examples/guide/nats.toml NATS_URL=nats://h:1");
  EXPECT_EQ(o.exit_code, 0) << o.err;
  EXPECT_NE(o.out.find("examples/guide/nats.toml: ok"), std::string::npos) << o.out;
}

TEST(HeraldCheck, MissingFileIsBadInputNamingThePath) {
  Outcome o = herald("check -c no/such/fraiseql.toml");
  EXPECT_EQ(o.exit_code, 1);
  EXPECT_NE(o.err.find("no/such/fraiseql.toml"), std::string::npos) << o.err;
}

TEST(HeraldCheck, ReportsEveryErrorWithItsLocation) {
  fs::path file =
      fs::temp_directory_path() / ("herald-bad-" + std::to_string(::getpid()) + ".toml");
  std::ofstream(file) << "[observers]\nbackend = \"kafka\"\n\n[[observers]]\ntable = \"tb_order\"\n"
                         "evnt = \"INSERT\"\n";
  Outcome o = herald("check -c " + file.string());
  fs::remove(file);
  EXPECT_EQ(o.exit_code, 1);
  EXPECT_NE(o.err.find(file.string() + ":2:11: "), std::string::npos) << o.err;
  EXPECT_NE(o.err.find(file.string() + ":4:1: [[observers]] rule has no 'event'"),
            std::string::npos)
      << o.err;
  EXPECT_NE(o.err.find(file.string() + ":6:1: unknown key 'evnt' in [[observers]] rule; did you "
                                       "mean 'event'?"),
            std::string::npos)
      << o.err;
  EXPECT_NE(o.err.find(": 3 errors"), std::string::npos) << o.err;
}

}  // namespace
