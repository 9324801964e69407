// What becomes an event and where it goes (SPEC sections 2 and 4), end to end: only
// committed writes to observed tables, no UPDATE that changes nothing, `condition` and
// `changed` as specified, default and configured subjects.
//
// "Nothing was published" is proved with a marker: after the writes that must not produce
// events, a marker row is committed and its event awaited; events arrive in commit order,
// so an event of an earlier write would be in the stream before the marker's.

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <string>
#include <vector>

#include "cli/support_pg_session.hpp"
#include "cli/support_run_fixture.hpp"

namespace herald::testing {
namespace {

using json = nlohmann::json;

class FilteringTest : public HeraldRunTest {};

TEST_F(FilteringTest, UnobservedTablesAndRolledBackWritesProduceNothing) {
  db_.exec("CREATE TABLE tb_order (id serial PRIMARY KEY, status text DEFAULT 'new')");
  db_.exec("CREATE TABLE tb_audit (id serial PRIMARY KEY, what text)");
  start_herald("[[observers]]\ntable = \"tb_order\"\nevent = \"*\"\n");

  db_.exec("INSERT INTO tb_audit (what) VALUES ('not observed')");
  db_.exec("UPDATE tb_audit SET what = 'still not observed'");
  PgSession client(db_.url());
  client.exec("BEGIN; INSERT INTO tb_order (status) VALUES ('rolled back'); ROLLBACK");
  // A rolled-back savepoint inside a committed transaction: only the kept row counts.
  client.exec(
      "BEGIN; INSERT INTO tb_order (id, status) VALUES (100, 'kept'); SAVEPOINT s; "
      "INSERT INTO tb_order (id, status) VALUES (101, 'undone'); "
      "UPDATE tb_order SET status = 'undone too' WHERE id = 100; ROLLBACK TO s; COMMIT");

  // TRUNCATE is no event either (rules see row changes only), and does not stall capture.
  db_.exec("TRUNCATE tb_order");

  auto messages = events_through_marker("tb_order", 1);
  ASSERT_EQ(messages.size(), 2u) << describe(messages);
  EXPECT_EQ(messages[0].body["entity"], json::parse(R"({"id":100,"status":"kept"})"))
      << messages[0].data;
  EXPECT_EQ(messages[0].subject, prefix() + ".order.created");
}

TEST_F(FilteringTest, UpdateThatChangesNothingProducesNothing) {
  db_.exec("CREATE TABLE tb_order (id serial PRIMARY KEY, status text DEFAULT 'new', n int)");
  db_.exec("INSERT INTO tb_order (status, n) VALUES ('new', 1)");
  start_herald("[[observers]]\ntable = \"tb_order\"\nevent = [\"INSERT\", \"UPDATE\"]\n");

  db_.exec("UPDATE tb_order SET status = status, n = n WHERE id = 1");
  db_.exec("UPDATE tb_order SET status = 'new' WHERE id = 1");
  db_.exec("UPDATE tb_order SET n = 2 WHERE id = 1");  // this one changes something
  db_.exec("UPDATE tb_order SET n = 2 WHERE id = 1");  // and this one does not again

  auto messages = events_through_marker("tb_order", 1);
  ASSERT_EQ(messages.size(), 2u) << describe(messages);
  EXPECT_EQ(messages[0].subject, prefix() + ".order.updated");
  EXPECT_EQ(messages[0].body["changed"], json::parse(R"(["n"])")) << messages[0].data;
}

TEST_F(FilteringTest, ConditionsFilterAsSpecified) {
  db_.exec("CREATE TABLE tb_order (id int PRIMARY KEY, status text, total numeric, region text)");
  db_.exec("INSERT INTO tb_order VALUES (1, 'new', 500, 'eu'), (2, 'new', 500, 'us')");
  start_herald(
      "[[observers]]\n"
      "table = \"tb_order\"\n"
      "event = \"INSERT\"\n"
      "subject = \"$PREFIX.big_paid\"\n"
      "condition = \"status == 'paid' && total >= 100\"\n"
      "\n"
      "[[observers]]\n"
      "table = \"tb_order\"\n"
      "event = \"UPDATE\"\n"
      "name = \"became-paid\"\n"
      "subject = \"$PREFIX.became_paid\"\n"
      "condition = \"old.status != 'paid' && status == 'paid' && region in ['eu', 'uk']\"\n"
      "\n"
      "[[observers]]\n"
      "table = \"tb_order\"\n"
      "event = \"UPDATE\"\n"
      "name = \"total-changed\"\n"
      "subject = \"$PREFIX.total_changed\"\n"
      "condition = \"changed(total) || !(region != 'zz')\"\n");

  db_.exec(
      "INSERT INTO tb_order VALUES (10, 'paid', 150, 'eu'), (11, 'paid', 99.99, 'eu'), "
      "(12, 'new', 1000, 'eu'), (13, 'paid', 100, 'us')");
  db_.exec("UPDATE tb_order SET status = 'paid' WHERE id IN (1, 2)");  // only 1 is in eu/uk
  db_.exec("UPDATE tb_order SET status = 'shipped' WHERE id = 10");    // no rule matches
  db_.exec("UPDATE tb_order SET total = 600 WHERE id = 2");            // changed(total)
  db_.exec("UPDATE tb_order SET region = 'zz' WHERE id = 11");         // !(region != 'zz')
  db_.exec("INSERT INTO tb_order VALUES (99, 'paid', 1000, 'eu')");    // the last one

  auto messages = events(6);
  std::vector<std::string> seen;
  for (const auto& m : messages) {
    seen.push_back(m.subject.substr(prefix().size() + 1) + " " + m.body["entity_id"].dump());
  }
  const std::vector<std::string> expected{"big_paid 10",     "big_paid 13",      "became_paid 1",
                                          "total_changed 2", "total_changed 11", "big_paid 99"};
  EXPECT_EQ(seen, expected) << describe(messages);
}

TEST_F(FilteringTest, ChangedListsTheColumnsThatMatter) {
  db_.exec("CREATE TABLE tb_order (id int PRIMARY KEY, status text, note text, seen_at int)");
  db_.exec("INSERT INTO tb_order VALUES (1, 'new', 'a', 0), (2, 'new', 'b', 0)");
  start_herald(
      "[[observers]]\ntable = \"tb_order\"\nevent = \"UPDATE\"\nchanged = [\"status\", \"note\"]\n"
      "\n[[observers]]\ntable = \"tb_order\"\nevent = \"INSERT\"\n");

  db_.exec("UPDATE tb_order SET seen_at = 1");               // neither status nor note
  db_.exec("UPDATE tb_order SET note = 'b2' WHERE id = 2");  // note
  db_.exec("UPDATE tb_order SET seen_at = 2, status = 'paid' WHERE id = 1");  // status
  db_.exec("UPDATE tb_order SET seen_at = 3 WHERE id = 2");                   // neither

  db_.exec("CREATE SEQUENCE marker_seq START 100");
  db_.exec("ALTER TABLE tb_order ALTER COLUMN id SET DEFAULT nextval('marker_seq')");
  auto messages = events_through_marker("tb_order", 2);
  ASSERT_EQ(messages.size(), 3u) << describe(messages);
  EXPECT_EQ(messages[0].body["entity_id"], 2);
  EXPECT_EQ(messages[0].body["changed"], json::parse(R"(["note"])"));
  EXPECT_EQ(messages[1].body["entity_id"], 1);
  // Every changed column, not only those the rule asked about (in no particular order).
  auto changed = messages[1].body["changed"].get<std::vector<std::string>>();
  std::sort(changed.begin(), changed.end());
  EXPECT_EQ(changed, (std::vector<std::string>{"seen_at", "status"})) << messages[1].data;
}

TEST_F(FilteringTest, SubjectsDefaultToPrefixEntityAndOperation) {
  db_.exec("CREATE SCHEMA sales");
  db_.exec("CREATE TABLE tb_order (id int PRIMARY KEY, status text)");
  db_.exec("CREATE TABLE inventory (id int PRIMARY KEY, qty int)");
  db_.exec("CREATE TABLE sales.tb_invoice (id int PRIMARY KEY)");
  start_herald(
      "[[observers]]\ntable = \"tb_order\"\nevent = \"*\"\n"
      "\n[[observers]]\ntable = \"inventory\"\nevent = \"INSERT\"\n"
      "\n[[observers]]\ntable = \"sales.tb_invoice\"\nevent = \"INSERT\"\n");

  db_.exec("INSERT INTO tb_order VALUES (1, 'new')");
  db_.exec("UPDATE tb_order SET status = 'paid'");
  db_.exec("DELETE FROM tb_order");
  db_.exec("INSERT INTO inventory VALUES (2, 5)");
  db_.exec("INSERT INTO sales.tb_invoice VALUES (3)");

  auto messages = events(5);
  ASSERT_EQ(messages.size(), 5u) << describe(messages);
  const std::vector<std::string> expected{".order.created", ".order.updated", ".order.deleted",
                                          ".inventory.created", ".invoice.created"};
  for (std::size_t i = 0; i < expected.size(); ++i) {
    EXPECT_EQ(messages[i].subject, prefix() + expected[i]) << describe(messages);
    EXPECT_EQ(messages[i].body["event"], messages[i].subject);
  }
  EXPECT_EQ(messages[3].body["entity_type"], "inventory");
  EXPECT_EQ(messages[4].body["entity_type"], "invoice");
  EXPECT_EQ(messages[4].body["table"], "sales.tb_invoice");
}

TEST_F(FilteringTest, ConfiguredSubjectOutsideThePrefixIsCoveredByTheStream) {
  db_.exec("CREATE TABLE tb_order (id int PRIMARY KEY)");
  start_herald(
      "[[observers]]\ntable = \"tb_order\"\nevent = \"INSERT\"\n"
      "subject = \"$PREFIX_billing.order.paid\"\n");
  const std::string subject = prefix() + "_billing.order.paid";

  db_.exec("INSERT INTO tb_order VALUES (1)");
  auto messages = events(1);
  ASSERT_EQ(messages.size(), 1u) << describe(messages);
  EXPECT_EQ(messages[0].subject, subject);
  EXPECT_EQ(messages[0].body["event"], subject);
}

// Two rules matching the same change each publish their event (on their own subjects, into
// the one stream herald ensures). JetStream drops a message whose Nats-Msg-Id it has seen
// within the duplicate window, so the two events need distinct ids.
TEST_F(FilteringTest, TwoRulesOnTheSameChangeBothReachTheStream) {
  db_.exec("CREATE TABLE tb_order (id int PRIMARY KEY, status text)");
  ASSERT_NO_FATAL_FAILURE(
      start_herald("[[observers]]\ntable = \"tb_order\"\nevent = \"INSERT\"\n"
                   "\n[[observers]]\ntable = \"tb_order\"\nevent = \"INSERT\"\nname = \"audit\"\n"
                   "subject = \"$PREFIX.audit.order\"\n"));
  db_.exec("INSERT INTO tb_order VALUES (1, 'new')");
  db_.exec("INSERT INTO tb_order VALUES (2, 'new')");

  auto messages = events(4, std::chrono::seconds(5));
  std::vector<std::string> seen;
  for (const auto& m : messages) {
    seen.push_back(m.subject.substr(prefix().size() + 1) + " " + m.body["entity_id"].dump() + " " +
                   m.msg_id);
  }
  ASSERT_EQ(messages.size(), 4u) << "only these reached the stream:\n" << describe(messages);
  EXPECT_NE(messages[0].msg_id, messages[1].msg_id);
}

}  // namespace
}  // namespace herald::testing
