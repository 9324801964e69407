// Bad TOML, top-level sections ([database], [server], [auth]) and interpolation. Each
// test asserts every error, exactly as printed.
#include <filesystem>
#include <fstream>

#include <unistd.h>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "config_test_support.hpp"

namespace herald::config {
namespace {

using ::testing::ElementsAre;
using testing::env_of;
using testing::error_strings;
using testing::errors_of;

TEST(SyntaxErrors, MissingValue) {
  EXPECT_THAT(errors_of("[observers]\nbackend =\n"),
              ElementsAre("fraiseql.toml:2:10: Error while parsing key-value pair: expected value, "
                          "saw '\\n'"));
}

TEST(SyntaxErrors, UnterminatedString) {
  EXPECT_THAT(errors_of("[observers]\nbackend = \"nats\n"),
              ElementsAre("fraiseql.toml:2:16: Error while parsing string: unescaped control "
                          "characters other than TAB (U+0009) are explicitly prohibited"));
}

TEST(SyntaxErrors, KeyDefinedTwice) {
  EXPECT_THAT(errors_of("[observers]\nbackend = \"nats\"\nbackend = \"redis\"\n"),
              ElementsAre("fraiseql.toml:3:11: Error while parsing key-value pair: cannot "
                          "redefine existing string 'backend'"));
}

TEST(SyntaxErrors, TableDefinedTwice) {
  EXPECT_THAT(errors_of("[observers]\n[server]\n[observers]\n"),
              ElementsAre("fraiseql.toml:3:1: Error while parsing table header: cannot redefine "
                          "existing table 'observers'"));
}

TEST(SyntaxErrors, InvalidUtf8) {
  EXPECT_THAT(errors_of("[observers]\nbackend = \"n\xff\"\n"),
              ElementsAre("fraiseql.toml:2:12: Encountered invalid utf-8 sequence"));
}

TEST(SyntaxErrors, UnclosedRuleHeaderPointsAtUserColumn) {
  EXPECT_THAT(errors_of("[observers]\n[[observers]\n"),
              ElementsAre("fraiseql.toml:2:13: Error while parsing table header: expected ']', "
                          "saw '\\n'"));
}

TEST(TopLevelErrors, UnknownSectionSuggests) {
  EXPECT_THAT(errors_of("[databse]\nurl = \"postgres://localhost/app\"\n"),
              ElementsAre("fraiseql.toml:1:2: unknown key 'databse' in the file's top level; did "
                          "you mean 'database'?"));
}

TEST(TopLevelErrors, SectionThatIsNotATable) {
  EXPECT_THAT(errors_of("database = \"postgres://localhost/app\"\n"),
              ElementsAre("fraiseql.toml:1:12: 'database' must be a table, got a string"));
}

TEST(DatabaseErrors, UnknownKey) {
  EXPECT_THAT(errors_of("[database]\nuri = \"postgres://localhost/app\"\n"),
              ElementsAre("fraiseql.toml:2:1: unknown key 'uri' in [database]; did you mean "
                          "'url'?"));
}

TEST(DatabaseErrors, MissingVariable) {
  EXPECT_THAT(errors_of("[database]\nurl = \"${DATABASE_URL}\"\n"),
              ElementsAre("fraiseql.toml:2:7: 'url' uses environment variable DATABASE_URL, "
                          "which is not set"));
}

TEST(DatabaseErrors, UrlAndUrlEnvBothSet) {
  EXPECT_THAT(errors_of("[database]\nurl = \"postgres://a\"\nurl_env = \"PG_URL\"\n",
                        {{"PG_URL", "postgres://b"}}),
              ElementsAre("fraiseql.toml:3:1: 'url' and 'url_env' are both set; keep one"));
}

TEST(ServerErrors, ListenWithoutPort) {
  EXPECT_THAT(errors_of("[server]\nlisten = \"localhost\"\nschema = \"/nonexistent/s.graphql\"\n"),
              ElementsAre("fraiseql.toml:2:10: 'listen' must be \"host:port\" with a port from 1 "
                          "to 65535, got \"localhost\"",
                          "fraiseql.toml:3:10: schema file \"/nonexistent/s.graphql\" not found "
                          "(looked for /nonexistent/s.graphql)"));
}

TEST(ServerErrors, ListenPortOutOfRange) {
  EXPECT_THAT(
      errors_of("[server]\nlisten = \"0.0.0.0:70000\"\nschema = \"/nonexistent/s.graphql\"\n"),
      ElementsAre("fraiseql.toml:2:10: 'listen' must be \"host:port\" with a port from 1 "
                  "to 65535, got \"0.0.0.0:70000\"",
                  "fraiseql.toml:3:10: schema file \"/nonexistent/s.graphql\" not found "
                  "(looked for /nonexistent/s.graphql)"));
}

TEST(ServerErrors, ListenPortZero) {
  EXPECT_THAT(
      errors_of("[server]\nlisten = \"127.0.0.1:0\"\nschema = \"/nonexistent/s.graphql\"\n"),
      ElementsAre("fraiseql.toml:2:10: 'listen' must be \"host:port\" with a port from 1 "
                  "to 65535, got \"127.0.0.1:0\"",
                  "fraiseql.toml:3:10: schema file \"/nonexistent/s.graphql\" not found "
                  "(looked for /nonexistent/s.graphql)"));
}

// A folder holding a config file and, when asked, a schema file beside it.
class ServerFolder : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    folder_ = std::filesystem::temp_directory_path() /
              (std::string("herald-config-") + info->name() + "-" + std::to_string(::getpid()));
    std::filesystem::create_directories(folder_);
  }
  void TearDown() override { std::filesystem::remove_all(folder_); }
  void write_schema(const std::string& name) const {
    std::ofstream(folder_ / name) << "type Query { ok: Boolean }\n";
  }
  std::string config_path() const { return (folder_ / "fraiseql.toml").string(); }
  std::filesystem::path folder_;
};

TEST_F(ServerFolder, SchemaNotFound) {
  const LoadResult result =
      load_string("[server]\nschema = \"api/schema.graphql\"\n", config_path(), env_of({}));
  EXPECT_THAT(error_strings(result),
              ElementsAre(config_path() + ":2:10: schema file \"api/schema.graphql\" not found " +
                          "(looked for " + (folder_ / "api/schema.graphql").string() + ")"));
}

TEST_F(ServerFolder, DefaultSchemaNotFound) {
  const LoadResult result =
      load_string("[server]\nlisten = \"127.0.0.1:9000\"\n", config_path(), env_of({}));
  EXPECT_THAT(error_strings(result),
              ElementsAre(config_path() +
                          ":1:1: [server] has no 'schema', and the default \"schema.graphql\" was "
                          "not found (looked for " +
                          (folder_ / "schema.graphql").string() + ")"));
}

TEST_F(ServerFolder, MaxConnectionsZero) {
  write_schema("schema.graphql");
  const LoadResult result =
      load_string("[server]\nmax_connections = 0\n", config_path(), env_of({}));
  EXPECT_THAT(error_strings(result),
              ElementsAre(config_path() + ":2:19: 'max_connections' must be at least 1, got 0"));
}

TEST_F(ServerFolder, WorkersOutOfRange) {
  write_schema("schema.graphql");
  EXPECT_THAT(error_strings(load_string("[server]\nworkers = 0\n", config_path(), env_of({}))),
              ElementsAre(config_path() + ":2:11: 'workers' must be at least 1, got 0"));
  EXPECT_THAT(error_strings(load_string("[server]\nworkers = 65\n", config_path(), env_of({}))),
              ElementsAre(config_path() + ":2:11: 'workers' must be at most 64, got 65"));
}

TEST_F(ServerFolder, SchemaResolvedBesideTheConfigFile) {
  write_schema("api.graphql");
  const LoadResult result = load_string(
      "[server]\nlisten = \"[::1]:8443\"\nschema = \"./api.graphql\"\nmax_connections = 50\n"
      "workers = 8\n",
      config_path(), env_of({}));
  ASSERT_THAT(error_strings(result), ElementsAre());
  const Server& server = *result.config->server;
  EXPECT_EQ(server.host, "::1");
  EXPECT_EQ(server.port, 8443);
  EXPECT_EQ(server.schema_path, (folder_ / "api.graphql").string());
  EXPECT_EQ(server.max_connections, 50);
  EXPECT_EQ(server.workers, 8);
}

TEST(AuthErrors, WithoutSecretEnv) {
  EXPECT_THAT(errors_of("[auth]\n"),
              ElementsAre("fraiseql.toml:1:1: [auth] has no 'jwt_secret_env' (the variable "
                          "holding the HS256 secret)"));
}

TEST(AuthErrors, SecretWrittenInTheFile) {
  EXPECT_THAT(errors_of("[auth]\njwt_secret = \"hunter2\"\n"),
              ElementsAre("fraiseql.toml:1:1: [auth] has no 'jwt_secret_env' (the variable "
                          "holding the HS256 secret)",
                          "fraiseql.toml:2:1: unknown key 'jwt_secret' in [auth]; did you mean "
                          "'jwt_secret_env'?"));
}

TEST(AuthErrors, SecretVariableNotSet) {
  EXPECT_THAT(errors_of("[auth]\njwt_secret_env = \"JWT_SECRET\"\n"),
              ElementsAre("fraiseql.toml:2:18: environment variable JWT_SECRET named by "
                          "'jwt_secret_env' is not set"));
}

TEST(InterpolationErrors, Unterminated) {
  EXPECT_THAT(errors_of("[observers]\nsubject_prefix = \"${PREFIX\"\n"),
              ElementsAre("fraiseql.toml:2:18: 'subject_prefix' has an unterminated \"${\" (write "
                          "\"$${\" for a literal \"${\")"));
}

TEST(InterpolationErrors, NotAVariableName) {
  EXPECT_THAT(errors_of("[observers]\nsubject_prefix = \"${1PREFIX}\"\n"),
              ElementsAre("fraiseql.toml:2:18: 'subject_prefix' has \"${1PREFIX}\", which is not a "
                          "variable reference (names are letters, digits and '_'; write \"$${\" "
                          "for a literal \"${\")"));
}

TEST(InterpolationErrors, EveryMissingVariableInOneValue) {
  EXPECT_THAT(errors_of("[observers]\nnats_url = \"nats://${NATS_HOST}:${NATS_PORT}\"\n"),
              ElementsAre("fraiseql.toml:2:12: 'nats_url' uses environment variable NATS_HOST, "
                          "which is not set",
                          "fraiseql.toml:2:12: 'nats_url' uses environment variable NATS_PORT, "
                          "which is not set"));
}

TEST(InterpolationErrors, InsideAListAndAHeader) {
  EXPECT_THAT(errors_of(R"([observers]
backend = "webhook"
[[observers]]
table = "tb_order"
event = "UPDATE"
changed = ["${STATUS_COLUMN}"]
[[observers.actions]]
url = "https://example.com/a"
headers = { "X-Team" = "${TEAM}" }
)"),
              ElementsAre("fraiseql.toml:6:12: 'changed' uses environment variable STATUS_COLUMN, "
                          "which is not set",
                          "fraiseql.toml:9:24: 'headers' uses environment variable TEAM, which is "
                          "not set"));
}

TEST(CollectedErrors, EveryProblemInFileOrder) {
  EXPECT_THAT(
      errors_of(R"([observers]
backend = "nats"
nats_url = "${NATS_URL}"
slot = "Herald"

[observers.retry]
max_attempts = 0

[[observers]]
table = "tb_order"
evnt = "INSERT"

[[observers]]
table = "a.b.c"
event = "UPDATE"

[[observers.actions]]
type = "webhook"
)"),
      ElementsAre("fraiseql.toml:3:12: 'nats_url' uses environment variable NATS_URL, which is "
                  "not set",
                  "fraiseql.toml:4:8: invalid replication slot name \"Herald\": use lower-case "
                  "letters, digits and '_', at most 63 characters",
                  "fraiseql.toml:7:16: 'max_attempts' must be at least 1, got 0",
                  "fraiseql.toml:9:1: [[observers]] rule has no 'event'",
                  "fraiseql.toml:11:1: unknown key 'evnt' in [[observers]] rule; did you mean "
                  "'event'?",
                  "fraiseql.toml:14:9: 'table' must be \"table\" or \"schema.table\", got "
                  "\"a.b.c\"",
                  "fraiseql.toml:17:1: webhook action has no 'url' or 'url_env'"));
}

TEST(FileErrors, MissingFileNamesThePath) {
  const LoadResult result = load_file("/nonexistent/fraiseql.toml", env_of({}));
  EXPECT_FALSE(result.config.has_value());
  EXPECT_THAT(error_strings(result),
              ElementsAre("/nonexistent/fraiseql.toml: cannot read the file (No such file or "
                          "directory)"));
}

TEST(FileErrors, FolderInsteadOfAFile) {
  const std::string folder = std::filesystem::temp_directory_path().string();
  EXPECT_THAT(error_strings(load_file(folder, env_of({}))),
              ElementsAre(folder + ": is a folder, not a file"));
}

TEST(FileErrors, PathAppearsAsGiven) {
  EXPECT_THAT(
      error_strings(load_string("[observers]\nbackend = 1\n", "conf/../herald.toml", env_of({}))),
      ElementsAre("conf/../herald.toml:2:11: 'backend' must be a string, got an integer"));
}

}  // namespace
}  // namespace herald::config
