// Integration: the server checks herald runs at setup.

#include "pg/server_checks.hpp"

#include <gtest/gtest.h>

#include "pg_test_helpers.hpp"
#include "support/servers.hpp"

namespace herald::pg {
namespace {

using herald::testing::PostgresOptions;
using herald::testing::PostgresServer;
using herald::testing::TestDatabase;
using herald::testing::unique_name;
using test::connect_or_die;

TEST(ServerChecks, LogicalServerPassesEveryCheck) {
  TestDatabase db;
  Connection connection = connect_or_die(db.url());
  EXPECT_TRUE(check_wal_level(connection).ok());
  EXPECT_TRUE(check_replication_role(connection).ok());
  EXPECT_TRUE(check_replication_capacity(connection).ok());
}

TEST(ServerChecks, WalLevelReplicaExplainsHowToEnableLogical) {
  PostgresServer server(PostgresOptions().with_setting("wal_level", "replica"));
  Connection connection = connect_or_die(server.url());
  auto checked = check_wal_level(connection);
  ASSERT_FALSE(checked.ok());
  const std::string& message = checked.error().message;
  EXPECT_NE(message.find("wal_level = replica"), std::string::npos) << message;
  EXPECT_NE(message.find("ALTER SYSTEM SET wal_level = logical"), std::string::npos) << message;
  EXPECT_NE(message.find("restart"), std::string::npos) << message;
  EXPECT_NE(message.find("port=" + std::to_string(server.port())), std::string::npos) << message;
}

TEST(ServerChecks, RoleWithoutReplicationIsToldWhatToGrant) {
  TestDatabase db;
  const std::string plain = unique_name("plain_role");
  const std::string replicator = unique_name("repl_role");
  db.exec("CREATE ROLE " + plain + " LOGIN; CREATE ROLE " + replicator + " LOGIN REPLICATION");
  {
    const std::string base = "postgresql://" + plain +
                             "@127.0.0.1:" + std::to_string(db.server().port()) + "/" + db.name();
    Connection connection = connect_or_die(base);
    auto checked = check_replication_role(connection);
    ASSERT_FALSE(checked.ok());
    EXPECT_NE(checked.error().message.find("ALTER ROLE " + plain + " REPLICATION"),
              std::string::npos)
        << checked.error().message;

    Connection allowed = connect_or_die("postgresql://" + replicator + "@127.0.0.1:" +
                                        std::to_string(db.server().port()) + "/" + db.name());
    EXPECT_TRUE(check_replication_role(allowed).ok());
  }
  db.exec("DROP ROLE " + plain + "; DROP ROLE " + replicator);
}

TEST(ServerChecks, MissingTablesAreListedInOrderAndCaseSensitively) {
  TestDatabase db;
  db.exec(
      "CREATE TABLE tb_order (id int); CREATE SCHEMA sales; "
      "CREATE TABLE sales.\"Invoice\" (id int); CREATE VIEW v_order AS SELECT 1 AS x; "
      "CREATE TABLE parted (id int) PARTITION BY RANGE (id)");
  Connection connection = connect_or_die(db.url());
  const std::vector<TableName> wanted = {{"public", "tb_order"}, {"public", "tb_missing"},
                                         {"sales", "Invoice"},   {"sales", "invoice"},
                                         {"public", "v_order"},  {"public", "parted"}};
  auto missing = missing_tables(connection, wanted);
  ASSERT_TRUE(missing.ok()) << missing.error().message;
  EXPECT_EQ(*missing, (std::vector<TableName>{
                          {"public", "tb_missing"}, {"sales", "invoice"}, {"public", "v_order"}}));

  auto checked = check_tables_exist(connection, wanted);
  ASSERT_FALSE(checked.ok());
  EXPECT_NE(checked.error().message.find("public.tb_missing, sales.invoice, public.v_order do not "
                                         "exist"),
            std::string::npos)
      << checked.error().message;
  EXPECT_TRUE(check_tables_exist(connection, {{"public", "tb_order"}}).ok());
}

}  // namespace
}  // namespace herald::pg
