// `herald setup` and the checks `herald run` makes against the live database before it
// captures anything (SPEC sections 1, 4 and 7).

#include <gtest/gtest.h>

#include <algorithm>
#include <string>

#include "cli/support_run_fixture.hpp"

namespace herald::testing {
namespace {

class SetupTest : public HeraldRunTest {
 protected:
  std::string published_tables() {
    return db_
        .scalar(
            "SELECT coalesce(string_agg(schemaname || '.' || tablename, ',' ORDER BY tablename), "
            "'') "
            "FROM pg_publication_tables WHERE pubname = " +
            pg_quote_literal(config_->names().publication))
        .value_or("?");
  }
};

// 1-based line and column of the first occurrence of `needle` in `text`.
std::pair<int, int> position_of(const std::string& text, const std::string& needle) {
  const std::size_t at = text.find(needle);
  if (at == std::string::npos) return {0, 0};
  const int line = 1 + static_cast<int>(std::count(text.begin(), text.begin() + at, '\n'));
  const std::size_t line_start = text.rfind('\n', at);
  const int column =
      static_cast<int>(at - (line_start == std::string::npos ? 0 : line_start + 1)) + 1;
  return {line, column};
}

TEST_F(SetupTest, SetupIsIdempotentAndSaysWhatItChanged) {
  db_.exec("CREATE TABLE tb_order (id int PRIMARY KEY, status text)");
  db_.exec("CREATE TABLE tb_customer (id int PRIMARY KEY)");
  config_.emplace(db_.url(), nats_url(),
                  "[[observers]]\ntable = \"tb_order\"\nevent = [\"INSERT\", \"UPDATE\"]\n");
  const std::string slot = config_->names().slot;

  auto first = run_herald({"setup", "-c", config_->path().string()});
  ASSERT_TRUE(first.status.exited_with(0)) << first.status << "\n" << first.output;
  EXPECT_NE(first.output.find("created schema herald"), std::string::npos) << first.output;
  EXPECT_NE(first.output.find("created publication " + config_->names().publication),
            std::string::npos)
      << first.output;
  EXPECT_NE(first.output.find("REPLICA IDENTITY FULL on public.tb_order"), std::string::npos)
      << first.output;
  EXPECT_NE(first.output.find("created logical replication slot " + slot), std::string::npos)
      << first.output;
  EXPECT_EQ(db_.scalar("SELECT plugin FROM pg_replication_slots WHERE slot_name = " +
                       pg_quote_literal(slot)),
            "pgoutput");
  EXPECT_EQ(published_tables(), "public.tb_order");
  EXPECT_EQ(db_.scalar("SELECT relreplident FROM pg_class WHERE oid = 'tb_order'::regclass"), "f");
  EXPECT_EQ(db_.scalar("SELECT count(*) FROM pg_namespace WHERE nspname = 'herald'"), "1");

  auto second = run_herald({"setup", "-c", config_->path().string()});
  ASSERT_TRUE(second.status.exited_with(0)) << second.status << "\n" << second.output;
  EXPECT_NE(second.output.find("nothing to change"), std::string::npos) << second.output;
  EXPECT_EQ(second.output.find("created"), std::string::npos) << second.output;

  // The publication follows the config: a new table is added, a dropped rule's removed.
  config_->rewrite("[[observers]]\ntable = \"tb_customer\"\nevent = \"INSERT\"\n");
  auto third = run_herald({"setup", "-c", config_->path().string()});
  ASSERT_TRUE(third.status.exited_with(0)) << third.status << "\n" << third.output;
  EXPECT_NE(third.output.find("added public.tb_customer to publication"), std::string::npos)
      << third.output;
  EXPECT_NE(third.output.find("removed public.tb_order from publication"), std::string::npos)
      << third.output;
  EXPECT_EQ(published_tables(), "public.tb_customer");
  EXPECT_EQ(db_.scalar("SELECT count(*) FROM pg_replication_slots WHERE slot_name = " +
                       pg_quote_literal(slot)),
            "1");

  auto teardown = run_herald({"teardown", "-c", config_->path().string()});
  ASSERT_TRUE(teardown.status.exited_with(0)) << teardown.status << "\n" << teardown.output;
  EXPECT_EQ(db_.scalar("SELECT count(*) FROM pg_replication_slots WHERE slot_name = " +
                       pg_quote_literal(slot)),
            "0");
}

TEST_F(SetupTest, RunFailsOnAMissingTableWithItsPlaceInTheConfig) {
  config_.emplace(db_.url(), nats_url(),
                  "[[observers]]\ntable = \"tb_missing\"\nevent = \"INSERT\"\n");
  auto result = run_herald({"run", "-c", config_->path().string()});
  EXPECT_TRUE(result.status.exited_with(1)) << result.status << "\n" << result.output;
  const auto [line, column] = position_of(config_->text(), "[[observers]]");
  const std::string where =
      config_->path().string() + ":" + std::to_string(line) + ":" + std::to_string(column) + ": ";
  EXPECT_NE(result.output.find(where), std::string::npos) << "expected " << where << " in\n"
                                                          << result.output;
  EXPECT_NE(result.output.find("tb_missing does not exist"), std::string::npos) << result.output;
  // Nothing was created for a config that cannot run.
  EXPECT_EQ(db_.scalar("SELECT count(*) FROM pg_replication_slots WHERE slot_name = " +
                       pg_quote_literal(config_->names().slot)),
            "0");
}

TEST_F(SetupTest, RunFailsOnAConditionColumnTheTableLacks) {
  db_.exec("CREATE TABLE tb_order (id int PRIMARY KEY, status text, total numeric)");
  config_.emplace(db_.url(), nats_url(),
                  "[[observers]]\n"
                  "table = \"tb_order\"\n"
                  "event = \"UPDATE\"\n"
                  "condition = \"total > 10 && statu == 'paid'\"\n"
                  "changed = [\"status\", \"totl\"]\n");
  auto result = run_herald({"run", "-c", config_->path().string()});
  EXPECT_TRUE(result.status.exited_with(1)) << result.status << "\n" << result.output;
  // The condition error points at the column inside the condition string.
  const auto [line, column] = position_of(config_->text(), "statu ==");
  const std::string where =
      config_->path().string() + ":" + std::to_string(line) + ":" + std::to_string(column) + ": ";
  EXPECT_NE(result.output.find(where + "condition: table public.tb_order has no column 'statu'"),
            std::string::npos)
      << "expected " << where << " in\n"
      << result.output;
  EXPECT_NE(result.output.find("did you mean 'status'?"), std::string::npos) << result.output;
  EXPECT_NE(result.output.find("has no column 'totl'"), std::string::npos)
      << "every error at once:\n"
      << result.output;
}

TEST(SetupWalLevelTest, RunExplainsThatWalLevelMustBeLogical) {
  PostgresServer server(
      PostgresOptions().with_setting("wal_level", "replica").with_setting("max_wal_senders", "10"));
  TestDatabase db(server);
  db.exec("CREATE TABLE tb_order (id int PRIMARY KEY)");
  HeraldConfig config(db.url(), SharedServers::get().nats().url(),
                      "[[observers]]\ntable = \"tb_order\"\nevent = \"INSERT\"\n");
  auto result = run_herald({"run", "-c", config.path().string()});
  // A dependency herald cannot use: exit code 2, like one it cannot reach.
  EXPECT_TRUE(result.status.exited_with(2)) << result.status << "\n" << result.output;
  EXPECT_NE(result.output.find("wal_level = replica"), std::string::npos) << result.output;
  EXPECT_NE(result.output.find("ALTER SYSTEM SET wal_level = logical"), std::string::npos)
      << result.output;
  // `herald setup` says the same.
  auto setup = run_herald({"setup", "-c", config.path().string()});
  EXPECT_NE(setup.output.find("needs wal_level = logical"), std::string::npos) << setup.output;
}

TEST_F(SetupTest, RunEnsuresAStreamCoveringEverySubjectWithADuplicateWindow) {
  db_.exec("CREATE TABLE tb_order (id int PRIMARY KEY)");
  ASSERT_NO_FATAL_FAILURE(
      start_herald("[[observers]]\ntable = \"tb_order\"\nevent = \"INSERT\"\n"
                   "\n[[observers]]\ntable = \"tb_order\"\nevent = \"DELETE\"\n"
                   "subject = \"$PREFIX_audit.order.gone\"\n"));
  auto stream = stream_config(nats_url(), config_->stream());
  ASSERT_TRUE(stream.has_value());
  std::sort(stream->subjects.begin(), stream->subjects.end());
  EXPECT_EQ(stream->subjects,
            (std::vector<std::string>{prefix() + ".>", prefix() + "_audit.order.gone"}));
  EXPECT_GE(stream->duplicate_window, std::chrono::minutes(2));
}

TEST_F(SetupTest, RunNamesTheStreamThatAlreadyOwnsASubject) {
  db_.exec("CREATE TABLE tb_order (id int PRIMARY KEY)");
  config_.emplace(db_.url(), nats_url(),
                  "[[observers]]\ntable = \"tb_order\"\nevent = \"INSERT\"\n");
  const std::string other = config_->stream() + "_other";
  create_stream(nats_url(), other, {config_->prefix() + ".>"});
  auto result = run_herald({"run", "-c", config_->path().string()});
  EXPECT_TRUE(result.status.exited_with(2)) << result.status << "\n" << result.output;
  EXPECT_NE(result.output.find(other), std::string::npos)
      << "the message should name the stream that owns the subject:\n"
      << result.output;
}

TEST_F(SetupTest, TeardownRefusesWhileHeraldRunsAndDropsAfter) {
  db_.exec("CREATE TABLE tb_order (id int PRIMARY KEY)");
  ASSERT_NO_FATAL_FAILURE(
      start_herald("[[observers]]\ntable = \"tb_order\"\nevent = \"INSERT\"\n"));
  const std::string slot_count = "SELECT count(*) FROM pg_replication_slots WHERE slot_name = " +
                                 pg_quote_literal(config_->names().slot);

  auto refused = run_herald({"teardown", "-c", config_->path().string()});
  EXPECT_FALSE(refused.status.exited_with(0)) << refused.output;
  EXPECT_NE(refused.output.find("in use"), std::string::npos) << refused.output;
  EXPECT_EQ(db_.scalar(slot_count), "1");

  ASSERT_TRUE(herald_->terminate().value_or(ExitStatus{}).exited_with(0)) << herald_->log_tail();
  auto dropped = run_herald({"teardown", "-c", config_->path().string()});
  EXPECT_TRUE(dropped.status.exited_with(0)) << dropped.status << "\n" << dropped.output;
  EXPECT_EQ(db_.scalar(slot_count), "0");
  EXPECT_EQ(db_.scalar("SELECT count(*) FROM pg_publication WHERE pubname = " +
                       pg_quote_literal(config_->names().publication)),
            "0");
}

}  // namespace
}  // namespace herald::testing
