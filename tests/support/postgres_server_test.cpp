// PostgresServer and TestDatabase: a real PostgreSQL 15 with logical decoding that tests
// can stop, crash and restart.

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <string>

#include "support/servers.hpp"

namespace herald::testing {
namespace {

TEST(PostgresServer, HasLogicalDecodingEnabled) {
  PostgresServer& server = SharedServers::get().postgres();
  EXPECT_EQ(server.scalar("SHOW wal_level"), "logical");
  EXPECT_EQ(server.scalar("SHOW max_replication_slots"), "32");
  EXPECT_EQ(server.scalar("SHOW max_wal_senders"), "32");
  EXPECT_EQ(server.scalar("SHOW listen_addresses"), "127.0.0.1");
  EXPECT_EQ(server.scalar("SHOW fsync"), "off");
  EXPECT_EQ(server.scalar("SELECT rolsuper FROM pg_roles WHERE rolname = current_user"), "t");
  EXPECT_EQ(server.url(),
            "postgresql://herald@127.0.0.1:" + std::to_string(server.port()) + "/postgres");
}

TEST(PostgresServer, CreatesAPgoutputSlotThatTestDatabaseDropsAfterwards) {
  PostgresServer& server = SharedServers::get().postgres();
  std::string database_name;
  {
    TestDatabase db(server);
    database_name = db.name();
    db.exec(
        "CREATE TABLE tb_order (id int PRIMARY KEY, status text);"
        "CREATE PUBLICATION herald FOR TABLE tb_order");
    db.exec("SELECT pg_create_logical_replication_slot('herald_smoke', 'pgoutput')");
    EXPECT_EQ(db.scalar("SELECT plugin FROM pg_replication_slots "
                        "WHERE slot_name = 'herald_smoke'"),
              "pgoutput");
    db.exec("INSERT INTO tb_order VALUES (1, 'paid')");
    // The slot decodes the insert: pgoutput's binary stream has one message per change.
    EXPECT_EQ(db.scalar("SELECT count(*) > 0 FROM pg_logical_slot_peek_binary_changes("
                        "'herald_smoke', NULL, NULL, 'proto_version', '1', "
                        "'publication_names', 'herald')"),
              "t");
  }
  EXPECT_EQ(server.scalar("SELECT count(*) FROM pg_replication_slots "
                          "WHERE slot_name = 'herald_smoke'"),
            "0");
  EXPECT_EQ(server.scalar("SELECT count(*) FROM pg_database WHERE datname = " +
                          pg_quote_literal(database_name)),
            "0");
}

TEST(PostgresServer, AcceptsReplicationConnections) {
  TestDatabase db;
  const auto rows = pg_exec(db.url() + "?replication=database", "IDENTIFY_SYSTEM");
  ASSERT_EQ(rows.size(), 1U);
  EXPECT_EQ(rows.front().at(3), db.name());  // the dbname column
}

TEST(TestDatabase, IsolatesTestsFromEachOther) {
  TestDatabase first;
  TestDatabase second;
  EXPECT_NE(first.name(), second.name());
  first.exec("CREATE TABLE only_here (x int)");
  EXPECT_EQ(first.scalar("SELECT to_regclass('only_here') IS NOT NULL"), "t");
  EXPECT_EQ(second.scalar("SELECT to_regclass('only_here') IS NOT NULL"), "f");
}

TEST(TestDatabase, DropsASlotThatAConsumerStillHolds) {
  PostgresServer& server = SharedServers::get().postgres();
  std::string slot;
  {
    TestDatabase db(server);
    slot = db.name() + "_slot";
    db.exec("CREATE PUBLICATION herald FOR ALL TABLES");
    // pg_recvlogical keeps the slot active, as `herald run` would.
    ChildProcess receiver({std::string(kPostgresBinDir) + "/pg_recvlogical", "-d", db.url(),
                           "--slot", slot, "--create-slot", "--start", "-P", "pgoutput", "-o",
                           "proto_version=1", "-o", "publication_names=herald", "-f", "/dev/null"});
    ASSERT_TRUE(eventually([&] {
      return db.scalar("SELECT count(*) FROM pg_replication_slots WHERE active AND slot_name = " +
                       pg_quote_literal(slot)) == "1";
    }));
  }
  EXPECT_EQ(server.scalar("SELECT count(*) FROM pg_replication_slots WHERE slot_name = " +
                          pg_quote_literal(slot)),
            "0");
}

TEST(PostgresServer, KeepsDataAcrossStopAndStart) {
  PostgresServer server;
  const auto port = server.port();
  server.exec("CREATE TABLE kept (x int); INSERT INTO kept VALUES (42)");
  server.stop(StopMode::Fast);
  EXPECT_FALSE(server.running());
  EXPECT_FALSE(pg_can_connect(server.url()));
  server.start();
  EXPECT_TRUE(server.running());
  EXPECT_EQ(server.port(), port);
  EXPECT_EQ(server.scalar("SELECT x FROM kept"), "42");
}

TEST(PostgresServer, RecoversCommittedDataAfterACrash) {
  PostgresServer server;
  server.exec("CREATE TABLE kept (x int); INSERT INTO kept VALUES (7)");
  server.exec("SELECT pg_create_logical_replication_slot('crash_slot', 'pgoutput')");
  // A walsender backend that must die with the server, or the restart would find the
  // old shared memory still in use.
  ChildProcess receiver({std::string(kPostgresBinDir) + "/pg_recvlogical", "-d", server.url(),
                         "--slot", "crash_slot", "--start", "-o", "proto_version=1", "-o",
                         "publication_names=none", "-f", "/dev/null"});
  ASSERT_TRUE(
      eventually([&] { return server.scalar("SELECT count(*) FROM pg_stat_replication") == "1"; }));
  server.kill();
  EXPECT_FALSE(server.running());
  server.start();
  EXPECT_EQ(server.scalar("SELECT x FROM kept"), "7");
  EXPECT_EQ(server.scalar("SELECT count(*) FROM pg_replication_slots"), "1");
  EXPECT_NE(server.log_tail(200).find("not properly shut down"), std::string::npos)
      << server.log_tail();
}

TEST(PostgresServer, ImmediateStopThenStartRunsRecovery) {
  PostgresServer server;
  server.exec("CREATE TABLE kept (x int); INSERT INTO kept VALUES (1)");
  server.stop(StopMode::Immediate);
  EXPECT_FALSE(server.running());
  server.start();
  EXPECT_EQ(server.scalar("SELECT x FROM kept"), "1");
}

TEST(PostgresServer, CanKeepFsyncOnAndTakeSettings) {
  PostgresServer server(PostgresOptions().with_fsync().with_setting("wal_sender_timeout", "5s"));
  EXPECT_EQ(server.scalar("SHOW fsync"), "on");
  EXPECT_EQ(server.scalar("SHOW wal_sender_timeout"), "5s");
}

TEST(PostgresServer, RemovesItsDirectoryWhenDestroyed) {
  std::filesystem::path data_dir;
  {
    PostgresServer server;
    data_dir = server.data_dir();
    EXPECT_TRUE(std::filesystem::exists(data_dir / "PG_VERSION"));
  }
  EXPECT_FALSE(std::filesystem::exists(data_dir));
}

TEST(SharedServers, SurviveAForkOfTheTestExiting) {
  PostgresServer& server = SharedServers::get().postgres();
  ASSERT_EQ(server.scalar("SELECT 1"), "1");
  // A gtest death test forks the test process; its exit runs static destructors, which
  // must not stop the parent's servers or remove their directories.
  GTEST_FLAG_SET(death_test_style, "fast");
  EXPECT_EXIT(std::exit(0), ::testing::ExitedWithCode(0), "");
  EXPECT_TRUE(server.running());
  EXPECT_TRUE(std::filesystem::exists(server.data_dir() / "PG_VERSION"));
  EXPECT_EQ(server.scalar("SELECT 1"), "1");
}

TEST(PostgresServer, ReportsSqlErrorsWithTheServerMessage) {
  PostgresServer& server = SharedServers::get().postgres();
  try {
    server.exec("SELECT * FROM no_such_table");
    FAIL() << "exec did not throw";
  } catch (const std::runtime_error& error) {
    EXPECT_NE(std::string(error.what()).find("no_such_table"), std::string::npos) << error.what();
  }
}

}  // namespace
}  // namespace herald::testing
