// The event envelope of SPEC section 3 for INSERT, UPDATE and DELETE, end to end: ids,
// Nats-Msg-Id, txid and commit time as the writing client saw them, old rows and changed
// columns, composite keys, TOASTed values an UPDATE left alone.

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <string>

#include "cli/support_pg_session.hpp"
#include "cli/support_run_fixture.hpp"

namespace herald::testing {
namespace {

using json = nlohmann::json;

class EventEnvelopeTest : public HeraldRunTest {};

constexpr const char* kOrderRule =
    "[[observers]]\n"
    "table = \"tb_order\"\n"
    "event = [\"INSERT\", \"UPDATE\", \"DELETE\"]\n";

TEST_F(EventEnvelopeTest, InsertCarriesTheCommittingTransactionsIdAndTime) {
  db_.exec("CREATE TABLE tb_order (id uuid PRIMARY KEY, status text, total numeric)");
  start_herald(kOrderRule);

  PgSession client(db_.url());
  client.exec("BEGIN");
  const std::string txid = client.scalar("SELECT txid_current()").value_or("");
  const std::string started =
      client.scalar("SELECT to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS')")
          .value_or("");
  client.exec(
      "INSERT INTO tb_order VALUES ('550e8400-e29b-41d4-a716-446655440000', 'paid', 42.5), "
      "('650e8400-e29b-41d4-a716-446655440000', 'new', 7)");
  client.exec("COMMIT");
  const std::string after = client
                                .scalar(
                                    "SELECT to_char(clock_timestamp() AT TIME ZONE 'UTC', "
                                    "'YYYY-MM-DD\"T\"HH24:MI:SS.US')")
                                .value_or("");

  auto messages = events(2);
  ASSERT_EQ(messages.size(), 2u) << describe(messages);
  const EnvelopeExpectation created{prefix() + ".order.created", "order", "created",
                                    "public.tb_order"};
  for (const auto& m : messages) {
    ASSERT_TRUE(has_envelope(m, created));
    EXPECT_EQ(m.body["txid"].dump(), txid) << m.data;
    EXPECT_TRUE(m.body["old"].is_null()) << m.data;
    EXPECT_EQ(m.body["changed"], json::array()) << m.data;
    // The commit time lies between the transaction's start and the moment after COMMIT
    // (same format up to the seconds, so the strings compare as times).
    const std::string ts = m.body["timestamp"];
    EXPECT_GE(ts, started) << m.data;
    EXPECT_LE(ts.substr(0, ts.size() - 1), after) << m.data;
  }
  EXPECT_EQ(
      messages[0].body["entity"],
      json::parse(R"({"id":"550e8400-e29b-41d4-a716-446655440000","status":"paid","total":42.5})"));
  EXPECT_EQ(messages[0].body["entity_id"], "550e8400-e29b-41d4-a716-446655440000");
  EXPECT_EQ(messages[1].body["entity_id"], "650e8400-e29b-41d4-a716-446655440000");
  // One transaction: one commit LSN, ids apart by the change's position in it.
  EXPECT_EQ(messages[0].body["lsn"], messages[1].body["lsn"]);
  EXPECT_EQ(messages[0].msg_id.substr(0, 16), messages[1].msg_id.substr(0, 16));
  EXPECT_LT(messages[0].msg_id, messages[1].msg_id);
}

TEST_F(EventEnvelopeTest, UpdateCarriesNewRowOldRowAndChangedColumns) {
  db_.exec("CREATE TABLE tb_order (id int PRIMARY KEY, status text, total numeric, note text)");
  db_.exec("INSERT INTO tb_order VALUES (1, 'new', 10, 'keep')");
  start_herald(kOrderRule);
  // herald set REPLICA IDENTITY FULL: UPDATE payloads need the old row.
  EXPECT_EQ(db_.scalar("SELECT relreplident FROM pg_class WHERE oid = 'tb_order'::regclass"), "f");

  db_.exec("UPDATE tb_order SET status = 'paid', total = 12.50 WHERE id = 1");
  auto messages = events(1);
  ASSERT_EQ(messages.size(), 1u) << describe(messages);
  const auto& m = messages[0];
  ASSERT_TRUE(
      has_envelope(m, {prefix() + ".order.updated", "order", "updated", "public.tb_order"}));
  EXPECT_EQ(m.body["entity"],
            json::parse(R"({"id":1,"status":"paid","total":12.50,"note":"keep"})"))
      << m.data;
  EXPECT_EQ(m.body["old"], json::parse(R"({"id":1,"status":"new","total":10,"note":"keep"})"))
      << m.data;
  EXPECT_EQ(m.body["changed"], json::parse(R"(["status","total"])")) << m.data;
  EXPECT_EQ(m.body["entity_id"], 1);
}

TEST_F(EventEnvelopeTest, DeleteCarriesTheDeletedRow) {
  db_.exec("CREATE TABLE tb_order (id int PRIMARY KEY, status text)");
  db_.exec("INSERT INTO tb_order VALUES (5, 'cancelled')");
  start_herald(kOrderRule);

  db_.exec("DELETE FROM tb_order WHERE id = 5");
  auto messages = events(1);
  ASSERT_EQ(messages.size(), 1u) << describe(messages);
  const auto& m = messages[0];
  ASSERT_TRUE(
      has_envelope(m, {prefix() + ".order.deleted", "order", "deleted", "public.tb_order"}));
  EXPECT_EQ(m.body["entity"], json::parse(R"({"id":5,"status":"cancelled"})")) << m.data;
  EXPECT_EQ(m.body["entity_id"], 5);
  EXPECT_EQ(m.body["changed"], json::array());
}

TEST_F(EventEnvelopeTest, CompositePrimaryKeyIsAnObject) {
  db_.exec(
      "CREATE TABLE tb_order_line (order_id int, line_no int, qty int, "
      "PRIMARY KEY (line_no, order_id))");
  start_herald("[[observers]]\ntable = \"tb_order_line\"\nevent = \"*\"\n");
  db_.exec("INSERT INTO tb_order_line VALUES (7, 2, 3)");
  db_.exec("DELETE FROM tb_order_line");
  auto messages = events(2);
  ASSERT_EQ(messages.size(), 2u) << describe(messages);
  ASSERT_TRUE(has_envelope(messages[0], {prefix() + ".order_line.created", "order_line", "created",
                                         "public.tb_order_line"}));
  EXPECT_EQ(messages[0].body["entity_id"], json::parse(R"({"line_no":2,"order_id":7})"))
      << messages[0].data;
  EXPECT_EQ(messages[1].body["entity_id"], json::parse(R"({"line_no":2,"order_id":7})"))
      << messages[1].data;
  // Written in the table's column order, like the entity.
  EXPECT_NE(messages[0].data.find(R"("entity_id":{"order_id":7,"line_no":2})"), std::string::npos)
      << messages[0].data;
}

TEST_F(EventEnvelopeTest, UnchangedToastedValueStaysInTheUpdatedEntity) {
  db_.exec("CREATE TABLE tb_doc (id int PRIMARY KEY, title text, body text)");
  // ~96 KB of hex digits: far beyond the TOAST threshold even compressed, so PostgreSQL
  // stores it out of line and an UPDATE of another column does not send it again.
  db_.exec(
      "INSERT INTO tb_doc SELECT 1, 'draft', string_agg(md5(i::text || random()::text), '') "
      "FROM generate_series(1, 3000) i");
  ASSERT_EQ(db_.scalar("SELECT pg_column_size(body) > 8000 FROM tb_doc"), "t");
  start_herald("[[observers]]\ntable = \"tb_doc\"\nevent = \"UPDATE\"\n");

  db_.exec("UPDATE tb_doc SET title = 'final' WHERE id = 1");
  auto messages = events(1);
  ASSERT_EQ(messages.size(), 1u) << describe(messages);
  const auto& m = messages[0];
  ASSERT_TRUE(has_envelope(m, {prefix() + ".doc.updated", "doc", "updated", "public.tb_doc"}));
  const std::string body = db_.scalar("SELECT body FROM tb_doc").value_or("");
  ASSERT_EQ(body.size(), 96000u);
  ASSERT_TRUE(m.body["entity"]["body"].is_string()) << m.data.substr(0, 300);
  EXPECT_EQ(m.body["entity"]["body"].get<std::string>(), body);
  EXPECT_EQ(m.body["entity"]["title"], "final");
  EXPECT_EQ(m.body["old"]["title"], "draft");
  EXPECT_EQ(m.body["changed"], json::parse(R"(["title"])"));
}

TEST_F(EventEnvelopeTest, SchemaChangesWhileRunningShowInTheNextEvents) {
  db_.exec("CREATE TABLE tb_order (id int PRIMARY KEY, status text, legacy text)");
  ASSERT_NO_FATAL_FAILURE(start_herald(kOrderRule));
  db_.exec("INSERT INTO tb_order VALUES (1, 'new', 'x')");
  db_.exec("ALTER TABLE tb_order ADD COLUMN total numeric DEFAULT 0, DROP COLUMN legacy");
  db_.exec("INSERT INTO tb_order VALUES (2, 'paid', 99.5)");
  db_.exec("ALTER TABLE tb_order ALTER COLUMN total TYPE text");
  db_.exec("UPDATE tb_order SET total = 'n/a' WHERE id = 2");

  auto messages = events(3);
  ASSERT_EQ(messages.size(), 3u) << describe(messages);
  EXPECT_EQ(messages[0].body["entity"], json::parse(R"({"id":1,"status":"new","legacy":"x"})"));
  EXPECT_EQ(messages[1].body["entity"], json::parse(R"({"id":2,"status":"paid","total":99.5})"));
  EXPECT_EQ(messages[2].body["entity"], json::parse(R"({"id":2,"status":"paid","total":"n/a"})"));
  EXPECT_EQ(messages[2].body["old"]["total"], "99.5") << messages[2].data;
}

TEST_F(EventEnvelopeTest, CloudEventsFormatCarriesTheSameContent) {
  db_.exec("CREATE TABLE tb_order (id int PRIMARY KEY, status text)");
  ASSERT_NO_FATAL_FAILURE(start_herald(kOrderRule, "format = \"cloudevents\""));
  const std::string txid =
      db_.scalar("INSERT INTO tb_order VALUES (7, 'paid') RETURNING txid_current()").value_or("");

  auto messages = events(1);
  ASSERT_EQ(messages.size(), 1u) << describe(messages);
  const auto& m = messages[0];
  const json& e = m.body;
  EXPECT_EQ(e["specversion"], "1.0") << m.data;
  EXPECT_EQ(e["id"], m.msg_id);
  EXPECT_EQ(e["type"], prefix() + ".order.created");
  EXPECT_EQ(e["source"], "/herald/public.tb_order");
  EXPECT_EQ(e["subject"], "7");
  EXPECT_EQ(e["datacontenttype"], "application/json");
  EXPECT_TRUE(e["time"].is_string() && e["time"].get<std::string>().back() == 'Z') << m.data;
  EXPECT_EQ(e["data"]["entity"], json::parse(R"({"id":7,"status":"paid"})"));
  EXPECT_EQ(e["data"]["operation"], "created");
  EXPECT_EQ(e["data"]["entity_id"], 7);
  EXPECT_EQ(e["data"]["txid"].dump(), txid);
  EXPECT_EQ(m.subject, prefix() + ".order.created");
}

}  // namespace
}  // namespace herald::testing
