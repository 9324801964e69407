// Integration: pg::Connection, QueryResult and errors against a real PostgreSQL.

#include "pg/connection.hpp"

#include <gtest/gtest.h>
#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>

#include <sstream>

#include "pg/quote.hpp"
#include "pg_test_helpers.hpp"
#include "support/servers.hpp"

namespace herald::pg {
namespace {

using herald::testing::pick_free_port;
using herald::testing::TestDatabase;
using test::connect_or_die;

TEST(Connection, RefusedConnectionNamesTheTargetButNeverThePassword) {
  const auto port = pick_free_port();  // nothing listens there
  const std::string url =
      "postgresql://someone:topsecret@127.0.0.1:" + std::to_string(port) + "/nowhere";
  auto connection = Connection::connect(url);
  ASSERT_FALSE(connection.ok());
  const Error& error = connection.error();
  EXPECT_EQ(error.kind, ErrorKind::Connection);
  EXPECT_NE(error.message.find("host=127.0.0.1"), std::string::npos) << error.message;
  EXPECT_NE(error.message.find("port=" + std::to_string(port)), std::string::npos) << error.message;
  EXPECT_NE(error.message.find("dbname=nowhere"), std::string::npos) << error.message;
  EXPECT_NE(error.message.find("user=someone"), std::string::npos) << error.message;
  EXPECT_EQ(error.message.find("topsecret"), std::string::npos) << error.message;
}

TEST(Connection, MissingDatabaseIsReportedWithTheServersReason) {
  auto& server = herald::testing::SharedServers::get().postgres();
  auto connection = Connection::connect(server.url_for("no_such_db") + "?password=hunter2");
  ASSERT_FALSE(connection.ok());
  EXPECT_NE(connection.error().message.find("\"no_such_db\" does not exist"), std::string::npos)
      << connection.error().message;
  EXPECT_EQ(connection.error().message.find("hunter2"), std::string::npos);
}

TEST(Connection, MalformedConninfoDoesNotEchoThePassword) {
  auto connection = Connection::connect("host=127.0.0.1 password=hunter2 nonsense");
  ASSERT_FALSE(connection.ok());
  EXPECT_EQ(connection.error().message.find("hunter2"), std::string::npos)
      << connection.error().message;
}

TEST(Connection, ExecParamsSendsNullsAndTextAndReadsThemBack) {
  TestDatabase db;
  Connection connection = connect_or_die(db.url());
  ASSERT_TRUE(connection.exec("CREATE TABLE item (id int PRIMARY KEY, name text, note text)").ok());
  auto inserted =
      connection.exec_params("INSERT INTO item VALUES ($1, $2, $3), ($4, $5, $6)",
                             {"1", "it's \"quoted\"", std::nullopt, "2", std::nullopt, "x\\y"});
  ASSERT_TRUE(inserted.ok()) << inserted.error().message;
  EXPECT_EQ(inserted->affected_rows(), 2u);
  EXPECT_EQ(inserted->command_status(), "INSERT 0 2");

  auto rows = connection.exec_params(
      "SELECT id, name, note AS \"Note\" FROM item WHERE id >= $1 "
      "ORDER BY id",
      {"1"});
  ASSERT_TRUE(rows.ok()) << rows.error().message;
  ASSERT_EQ(rows->rows(), 2);
  ASSERT_EQ(rows->columns(), 3);
  EXPECT_EQ(rows->column_name(2), "Note");
  EXPECT_EQ(rows->column_index("Note"), 2);
  EXPECT_EQ(rows->column_index("note"), std::nullopt);  // exact, case-sensitive
  EXPECT_EQ(rows->get(0, "name"), "it's \"quoted\"");
  EXPECT_TRUE(rows->is_null(0, 2));
  EXPECT_EQ(rows->get_optional(0, 2), std::nullopt);
  EXPECT_TRUE(rows->is_null(1, 1));
  EXPECT_FALSE(rows->is_null(1, 2));
  EXPECT_EQ(rows->get(1, 2), "x\\y");
  EXPECT_EQ(rows->get_optional(1, 0), std::optional<std::string_view>("2"));
}

TEST(Connection, UndefinedFunctionCarriesSqlstateAndHint) {
  TestDatabase db;
  Connection connection = connect_or_die(db.url());
  auto result = connection.exec("SELECT herald_no_such_function(1)");
  ASSERT_FALSE(result.ok());
  const Error& error = result.error();
  EXPECT_EQ(error.kind, ErrorKind::Server);
  EXPECT_TRUE(error.has_sqlstate(sqlstate::kUndefinedFunction)) << error.sqlstate;
  EXPECT_NE(error.primary.find("herald_no_such_function(integer) does not exist"),
            std::string::npos)
      << error.primary;
  EXPECT_FALSE(error.hint.empty());
  EXPECT_NE(error.message.find("SQLSTATE 42883"), std::string::npos) << error.message;
  EXPECT_NE(error.message.find("herald_no_such_function(1)"), std::string::npos) << error.message;
  // The connection stays usable after a server error.
  auto after = connection.exec("SELECT 1");
  ASSERT_TRUE(after.ok());
  EXPECT_EQ(after->get(0, 0), "1");
}

TEST(Connection, RaisedErrorKeepsItsCodeDetailAndHint) {
  TestDatabase db;
  Connection connection = connect_or_die(db.url());
  auto result = connection.exec(
      "DO $$ BEGIN RAISE EXCEPTION 'not ready' USING ERRCODE = '55000', "
      "DETAIL = 'the slot is busy', HINT = 'try later'; END $$");
  ASSERT_FALSE(result.ok());
  const Error& error = result.error();
  EXPECT_EQ(error.sqlstate, "55000");
  EXPECT_FALSE(error.has_sqlstate(sqlstate::kUndefinedFunction));
  EXPECT_EQ(error.primary, "not ready");
  EXPECT_EQ(error.detail, "the slot is busy");
  EXPECT_EQ(error.hint, "try later");
  EXPECT_NE(error.message.find("detail: the slot is busy"), std::string::npos) << error.message;
  EXPECT_NE(error.message.find("hint: try later"), std::string::npos) << error.message;
}

TEST(Connection, SqlWithNulByteIsRefusedBeforeReachingTheServer) {
  TestDatabase db;
  Connection connection = connect_or_die(db.url());
  auto result = connection.exec(std::string_view("SELECT 1\0; DROP TABLE x", 23));
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().kind, ErrorKind::Usage);
  auto param = connection.exec_params("SELECT $1", {std::string("a\0b", 3)});
  ASSERT_FALSE(param.ok());
  EXPECT_EQ(param.error().kind, ErrorKind::Usage);
}

TEST(Connection, NoticesGoToTheLog) {
  TestDatabase db;
  Connection connection = connect_or_die(db.url());
  std::ostringstream captured;
  auto sink = std::make_shared<spdlog::sinks::ostream_sink_mt>(captured);
  auto logger = std::make_shared<spdlog::logger>("pg_notice_test", sink);
  auto previous = spdlog::default_logger();
  spdlog::set_default_logger(logger);
  auto result = connection.exec(
      "DO $$ BEGIN RAISE NOTICE 'hello from plpgsql'; RAISE WARNING 'careful'; END $$");
  spdlog::set_default_logger(previous);
  ASSERT_TRUE(result.ok()) << result.error().message;
  EXPECT_NE(captured.str().find("PostgreSQL NOTICE: hello from plpgsql"), std::string::npos)
      << captured.str();
  EXPECT_NE(captured.str().find("[warning] PostgreSQL WARNING: careful"), std::string::npos)
      << captured.str();
}

TEST(Connection, ReportsWhereItIsConnected) {
  TestDatabase db;
  Connection connection = connect_or_die(db.url());
  EXPECT_TRUE(connection.is_ok());
  EXPECT_NE(connection.describe().find("dbname=" + db.name()), std::string::npos);
  EXPECT_GE(connection.server_version(), 150000);
  auto pid = connection.exec("SELECT pg_backend_pid()");
  ASSERT_TRUE(pid.ok());
  EXPECT_EQ(pid->get(0, 0), std::to_string(connection.backend_pid()));
  auto name = connection.exec(
      "SELECT application_name FROM pg_stat_activity "
      "WHERE pid = pg_backend_pid()");
  ASSERT_TRUE(name.ok());
  EXPECT_EQ(name->get(0, 0), "herald");
}

std::string option_of(const Connection& connection, std::string_view keyword) {
  std::string value;
  PQconninfoOption* options = PQconninfo(connection.native());
  for (PQconninfoOption* option = options; option != nullptr && option->keyword != nullptr;
       ++option) {
    if (keyword == option->keyword && option->val != nullptr) value = option->val;
  }
  PQconninfoFree(options);
  return value;
}

TEST(Connection, DefaultsApplyUnlessTheConninfoSaysOtherwise) {
  TestDatabase db;
  Connection plain = connect_or_die(db.url());
  EXPECT_EQ(option_of(plain, "connect_timeout"), "10");
  EXPECT_EQ(option_of(plain, "replication"), "");
  Connection custom = connect_or_die(db.url() + "?connect_timeout=3&application_name=custom");
  EXPECT_EQ(option_of(custom, "connect_timeout"), "3");
  auto name = custom.exec("SHOW application_name");
  ASSERT_TRUE(name.ok());
  EXPECT_EQ(name->get(0, 0), "custom");
  Connection keyword_form =
      connect_or_die("host=127.0.0.1 port=" + std::to_string(db.server().port()) +
                     " dbname=" + db.name() + " user=" + db.server().user());
  EXPECT_EQ(option_of(keyword_form, "dbname"), db.name());
  auto replication = Connection::connect(db.url(), ConnectOptions{.replication = true});
  ASSERT_TRUE(replication.ok()) << replication.error().message;
  EXPECT_EQ(option_of(*replication, "replication"), "database");
}

TEST(Quoting, QuoteIdentAgreesWithTheServerForEveryKeyword) {
  TestDatabase db;
  Connection connection = connect_or_die(db.url());
  auto rows = connection.exec(
      "SELECT word, quote_ident(word) FROM pg_get_keywords() "
      "UNION ALL SELECT w, quote_ident(w) FROM unnest(ARRAY['Order', 'a\"b', '', '1x', "
      "'tb_order', 'caf\xc3\xa9', 'a b', '_x9']) AS w");
  ASSERT_TRUE(rows.ok()) << rows.error().message;
  ASSERT_GT(rows->rows(), 400);
  for (int row = 0; row < rows->rows(); ++row) {
    EXPECT_EQ(quote_ident(rows->get(row, 0)), rows->get(row, 1)) << rows->get(row, 0);
  }
}

TEST(Quoting, QuotedLiteralsAndNamesRoundTripThroughTheServer) {
  TestDatabase db;
  Connection connection = connect_or_die(db.url());
  for (const std::string value : {"", "plain", "it's", "''", "back\\slash\\", "\\'", "line\nbreak",
                                  "caf\xc3\xa9", "$$dollar$$", "E'x'"}) {
    auto rows = connection.exec_params("SELECT " + quote_literal(value) + " = $1", {value});
    ASSERT_TRUE(rows.ok()) << rows.error().message;
    EXPECT_EQ(rows->get(0, 0), "t") << value;
  }
  const std::string table = qualified_name("Weird Schema", "select");
  ASSERT_TRUE(connection.exec("CREATE SCHEMA \"Weird Schema\"").ok());
  ASSERT_TRUE(connection.exec("CREATE TABLE " + table + " (x int)").ok());
  auto found = connection.exec(
      "SELECT count(*) FROM pg_tables WHERE schemaname = 'Weird Schema' AND tablename = 'select'");
  ASSERT_TRUE(found.ok());
  EXPECT_EQ(found->get(0, 0), "1");
}

}  // namespace
}  // namespace herald::pg
