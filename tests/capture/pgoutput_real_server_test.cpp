// Integration: the decoder against what a real PostgreSQL 15 pgoutput produces, read with
// pg_logical_slot_peek_binary_changes (proto_version 1, messages on). One table holds a
// column of every type the converter knows; the reading session uses a non-UTC TimeZone
// to prove timestamptz values are normalised to UTC.

#include "capture/exact_json.hpp"
#include "capture/pgoutput_decoder.hpp"
#include "recording_visitor.hpp"
#include "support/servers.hpp"

#include <gtest/gtest.h>

namespace herald::capture {
namespace {

using herald::capture::testing::RecordingVisitor;
using herald::testing::TestDatabase;
using herald::testing::unique_name;
using nlohmann::json;

std::string from_hex_bytea(const std::string& text) {
  std::string bytes;
  auto nibble = [](char c) { return c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10; };
  for (std::size_t i = 2; i + 1 < text.size(); i += 2) {
    bytes.push_back(static_cast<char>(nibble(text[i]) * 16 + nibble(text[i + 1])));
  }
  return bytes;
}

class PgoutputRealServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db_.exec(R"sql(
      CREATE TYPE mood AS ENUM ('sad', 'happy');
      CREATE DOMAIN positive_int AS int4 CHECK (VALUE > 0);
      CREATE TABLE tb_all (
        id int8 PRIMARY KEY,
        b bool, i2 int2, i4 int4, o oid, f4 float4, f8 float8, f8_nan float8,
        n numeric, n_big numeric, n_nan numeric, m money, j json, jb jsonb,
        t text, vc varchar(10), bc char(5), nm name, ch "char", u uuid,
        d date, tm time, ttz timetz, ts timestamp, tstz timestamptz, iv interval,
        by bytea, ip inet, cd cidr, mac macaddr, x xml, bt bit(3), vb varbit,
        a_b bool[], a_i2 int2[], a_i4 int4[], a_i8 int8[], a_f4 float4[], a_f8 float8[],
        a_n numeric[], a_t text[], a_vc varchar[], a_u uuid[], a_j json[], a_jb jsonb[],
        a_d date[], a_tstz timestamptz[], a_by bytea[], a_2d int4[], a_bounds int4[],
        md mood, dom positive_int);
      ALTER TABLE tb_all REPLICA IDENTITY FULL;
      CREATE TABLE tb_doc (id int PRIMARY KEY, title text, body text);
      ALTER TABLE tb_doc ALTER COLUMN body SET STORAGE EXTERNAL;
      CREATE TABLE tb_doc_full (id int PRIMARY KEY, title text, body text);
      ALTER TABLE tb_doc_full ALTER COLUMN body SET STORAGE EXTERNAL;
      ALTER TABLE tb_doc_full REPLICA IDENTITY FULL;
      CREATE PUBLICATION p FOR TABLE tb_all, tb_doc, tb_doc_full;
    )sql");
    db_.exec("SELECT pg_create_logical_replication_slot('" + slot_ + "', 'pgoutput')");
  }

  // Decodes every pending change; fails the test on any decoder error.
  RecordingVisitor decode_all() {
    const auto rows = db_.exec(
        "SET TimeZone = 'Asia/Kolkata'; SET DateStyle = 'ISO'; "
        "SELECT data FROM pg_logical_slot_peek_binary_changes('" +
        slot_ +
        "', NULL, NULL, 'proto_version', '1', 'publication_names', 'p', 'messages', 'true')");
    RecordingVisitor visitor;
    for (const auto& row : rows) {
      auto result = decoder_.decode(from_hex_bytea(row.at(0).value()), visitor);
      EXPECT_TRUE(result.ok()) << result.error().message;
    }
    return visitor;
  }

  TestDatabase db_;
  std::string slot_ = unique_name("slot");
  PgoutputDecoder decoder_;
};

TEST_F(PgoutputRealServerTest, EveryColumnTypeConverts) {
  db_.exec(R"sql(
    INSERT INTO tb_all VALUES (
      9007199254740993, true, -32768, 2147483647, 4294967295, 1.1, 3.141592653589793, 'NaN',
      42.50, 12345678901234567890.123456789, 'NaN', 1234.56,
      '{"a": [1, 2.5, null], "big": 12345678901234567890.123456789}',
      '{"z": {"y": true}, "a": "é"}',
      E'tab\there "q" \\ é', 'short', 'ab', 'pg_class', 'x',
      '550e8400-e29b-41d4-a716-446655440000',
      '2026-03-02', '14:00:00.25', '14:00:00+02', '2026-03-02 14:00:00.5',
      '2026-03-02 14:00:00.123456+00', '1 year 2 months 3 days 04:05:06',
      '\x00ff68656c6c6f', '192.168.0.1/24', '10.0.0.0/8', '08:00:2b:01:02:03',
      '<a>x</a>', B'101', B'1',
      '{t,f,NULL}', '{1,-2}', '{}', '{9223372036854775807}', '{1.5,NaN}', '{-Infinity,0.1}',
      '{1.5,12345678901234567890.123456789,NaN}', ARRAY['plain', 'with space', 'q"uote', 'back\slash', '', 'NULL', NULL],
      '{a,b}', '{550e8400-e29b-41d4-a716-446655440000}', ARRAY['{"k": 1}'::json, '"s"'::json],
      ARRAY['{"k": [1, 2]}'::jsonb], '{2026-03-02,infinity}', ARRAY['2026-03-02 14:00:00+00'::timestamptz],
      ARRAY['\x6869'::bytea, NULL], '{{1,2,3},{4,5,6}}', '[2:3]={7,8}',
      'happy', 5)
  )sql");
  const RecordingVisitor visitor = decode_all();
  ASSERT_EQ(visitor.changes.size(), 1u);
  const json& row = visitor.changes[0].new_row;
  const json expected = json::parse(R"({
    "id": 9007199254740993, "b": true, "i2": -32768, "i4": 2147483647, "o": 4294967295,
    "f4": 1.1, "f8": 3.141592653589793, "f8_nan": "NaN", "n_nan": "NaN",
    "m": "$1,234.56", "jb": {"a": "é", "z": {"y": true}},
    "t": "tab\there \"q\" \\ é", "vc": "short", "bc": "ab   ", "nm": "pg_class", "ch": "x",
    "u": "550e8400-e29b-41d4-a716-446655440000", "d": "2026-03-02", "tm": "14:00:00.25",
    "ttz": "14:00:00+02", "ts": "2026-03-02T14:00:00.5", "tstz": "2026-03-02T14:00:00.123456Z",
    "iv": "1 year 2 mons 3 days 04:05:06", "by": "AP9oZWxsbw==", "ip": "192.168.0.1/24",
    "cd": "10.0.0.0/8", "mac": "08:00:2b:01:02:03", "x": "<a>x</a>", "bt": "101", "vb": "1",
    "a_b": [true, false, null], "a_i2": [1, -2], "a_i4": [], "a_i8": [9223372036854775807],
    "a_f4": [1.5, "NaN"], "a_f8": ["-Infinity", 0.1],
    "a_t": ["plain", "with space", "q\"uote", "back\\slash", "", "NULL", null],
    "a_vc": ["a", "b"], "a_u": ["550e8400-e29b-41d4-a716-446655440000"],
    "a_j": [{"k": 1}, "s"], "a_jb": [{"k": [1, 2]}], "a_d": ["2026-03-02", "infinity"],
    "a_tstz": ["2026-03-02T14:00:00Z"], "a_by": ["aGk=", null], "a_2d": [[1, 2, 3], [4, 5, 6]],
    "a_bounds": [7, 8], "md": "happy", "dom": "5"
  })");
  for (const auto& [column, value] : expected.items()) {
    EXPECT_EQ(row.at(column), value) << column << " was " << dump_json(row.at(column));
  }
  EXPECT_EQ(dump_json(row.at("n")), "42.50");  // numeric keeps its scale
  EXPECT_EQ(dump_json(row.at("n_big")), "12345678901234567890.123456789");
  EXPECT_EQ(dump_json(row.at("a_n")), R"([1.5,12345678901234567890.123456789,"NaN"])");
  EXPECT_EQ(dump_json(row.at("j")), R"({"a":[1,2.5,null],"big":12345678901234567890.123456789})");
  EXPECT_EQ(row.size(), visitor.changes[0].relation->columns.size());
  // Custom types arrive as Type messages before the relation that uses them.
  const Column& mood = visitor.changes[0].relation->columns.at(row.size() - 2);
  ASSERT_NE(decoder_.types().find(mood.type), nullptr);
  EXPECT_EQ(decoder_.types().find(mood.type)->name, "mood");
}

TEST_F(PgoutputRealServerTest, TransactionShapeIdsAndLogicalMessages) {
  db_.exec(R"sql(
    BEGIN;
    INSERT INTO tb_doc VALUES (1, 'a', 'x'), (2, 'b', 'y');
    SELECT pg_logical_emit_message(true, 'herald', '{"mutation": "createDoc", "entity": {"id": 1}}');
    UPDATE tb_doc SET id = 3 WHERE id = 2;
    DELETE FROM tb_doc WHERE id = 1;
    COMMIT;
  )sql");
  db_.exec("SELECT pg_logical_emit_message(false, 'audit', 'outside')");
  db_.exec("TRUNCATE tb_doc, tb_doc_full RESTART IDENTITY");
  const std::string later_xid = db_.scalar("SELECT txid_current()").value();
  const RecordingVisitor visitor = decode_all();

  ASSERT_EQ(visitor.changes.size(), 4u);
  EXPECT_EQ(visitor.changes[0].op, Operation::Insert);
  EXPECT_EQ(visitor.changes[2].op, Operation::Update);
  EXPECT_EQ(visitor.changes[2].old_kind, OldRow::KeyOnly);
  EXPECT_EQ(visitor.changes[2].old_row, (json{{"id", 2}}));
  EXPECT_EQ(visitor.changes[2].new_row, (json{{"id", 3}, {"title", "b"}, {"body", "y"}}));
  EXPECT_EQ(visitor.changes[3].op, Operation::Delete);
  EXPECT_EQ(visitor.changes[3].old_row, (json{{"id", 1}}));
  for (std::uint32_t i = 0; i < 4; ++i) {
    EXPECT_EQ(visitor.changes[i].txn.commit_lsn, visitor.begins.at(0).final_lsn);
    EXPECT_EQ(visitor.changes[i].txn.xid, visitor.begins.at(0).xid);
  }
  EXPECT_EQ(visitor.changes[0].txn.position, 0u);
  EXPECT_EQ(visitor.changes[1].txn.position, 1u);
  EXPECT_EQ(visitor.changes[2].txn.position, 3u);  // the message took position 2
  EXPECT_EQ(visitor.changes[3].txn.position, 4u);

  ASSERT_EQ(visitor.messages.size(), 2u);
  EXPECT_EQ(visitor.messages[0].prefix, "herald");
  EXPECT_EQ(json::parse(visitor.messages[0].content)["mutation"], "createDoc");
  EXPECT_EQ(visitor.messages[0].txn->position, 2u);
  EXPECT_FALSE(visitor.messages[1].transactional);
  EXPECT_EQ(visitor.messages[1].content, "outside");

  ASSERT_EQ(visitor.truncates.size(), 1u);
  EXPECT_EQ(visitor.truncates[0].relations.size(), 2u);
  EXPECT_TRUE(visitor.truncates[0].restart_identity);
  EXPECT_EQ(visitor.commits.at(0).commit_lsn, visitor.begins.at(0).final_lsn);
  EXPECT_GT(visitor.commits.at(0).end_lsn, visitor.commits.at(0).commit_lsn);
  EXPECT_LT(visitor.begins.at(0).xid, std::stoul(later_xid));
}

TEST_F(PgoutputRealServerTest, UnchangedToastWithAndWithoutFullIdentity) {
  // Random text does not compress, so 20 kB is stored out of line (TOAST).
  const std::string big = "(SELECT string_agg(md5(g::text), '') FROM generate_series(1, 700) g)";
  db_.exec("INSERT INTO tb_doc VALUES (1, 'a', " + big + ")");
  db_.exec("INSERT INTO tb_doc_full VALUES (1, 'a', " + big + ")");
  db_.exec("UPDATE tb_doc SET title = 'b'");
  db_.exec("UPDATE tb_doc_full SET title = 'b'");
  const std::string body = db_.scalar("SELECT body FROM tb_doc").value();
  const RecordingVisitor visitor = decode_all();
  ASSERT_EQ(visitor.changes.size(), 4u);

  const Change& plain = visitor.changes[2];
  EXPECT_EQ(plain.new_row, (json{{"id", 1}, {"title", "b"}}));
  EXPECT_EQ(plain.unchanged_toast, std::vector<std::string>{"body"});

  const Change& full = visitor.changes[3];
  EXPECT_EQ(full.old_kind, OldRow::Full);
  EXPECT_EQ(full.new_row.at("title"), "b");
  EXPECT_EQ(full.new_row.at("body"), body);
  EXPECT_TRUE(full.unchanged_toast.empty());
}

TEST_F(PgoutputRealServerTest, TypeLookupResolvesDomainsAndArraysOfThem) {
  db_.exec(
      "CREATE DOMAIN price AS numeric CHECK (VALUE >= 0); "
      "CREATE TABLE tb_priced (id int PRIMARY KEY, p price, ps price[], n positive_int, m mood); "
      "ALTER PUBLICATION p ADD TABLE tb_priced");
  // What `herald run` would wire: ask pg_type on an ordinary connection.
  decoder_.types().set_lookup([&](TypeOid type) -> std::optional<TypeShape> {
    const auto rows =
        db_.exec("SELECT typtype, typbasetype, typcategory, typelem FROM pg_type WHERE oid = " +
                 std::to_string(type));
    if (rows.empty()) return std::nullopt;
    const auto& row = rows[0];
    TypeShape shape;
    if (row[0] == "d") shape.domain_base = static_cast<TypeOid>(std::stoul(*row[1]));
    if (row[2] == "A") shape.array_element = static_cast<TypeOid>(std::stoul(*row[3]));
    return shape;
  });
  db_.exec("INSERT INTO tb_priced VALUES (1, 12345678901234567890.25, '{1.5,NULL}', 7, 'sad')");
  const RecordingVisitor visitor = decode_all();
  ASSERT_EQ(visitor.changes.size(), 1u);
  EXPECT_EQ(dump_json(visitor.changes[0].new_row),
            R"({"id":1,"m":"sad","n":7,"p":12345678901234567890.25,"ps":[1.5,null]})");
}

TEST_F(PgoutputRealServerTest, SchemaChangeMidStream) {
  db_.exec("INSERT INTO tb_doc VALUES (1, 'a', 'x')");
  db_.exec("ALTER TABLE tb_doc ADD COLUMN score numeric, DROP COLUMN title");
  db_.exec("INSERT INTO tb_doc VALUES (2, 'y', 99999999999999999999.5)");
  db_.exec("ALTER TABLE tb_doc RENAME COLUMN body TO text_body");
  db_.exec("INSERT INTO tb_doc VALUES (3, 'z', 1)");
  const RecordingVisitor visitor = decode_all();
  ASSERT_EQ(visitor.changes.size(), 3u);
  EXPECT_EQ(visitor.changes[0].new_row, (json{{"id", 1}, {"title", "a"}, {"body", "x"}}));
  EXPECT_EQ(dump_json(visitor.changes[1].new_row),
            R"({"body":"y","id":2,"score":99999999999999999999.5})");
  EXPECT_EQ(visitor.changes[2].new_row, (json{{"id", 3}, {"text_body", "z"}, {"score", 1}}));
  EXPECT_EQ(visitor.changes[0].relation->columns.size(), 3u);
}

}  // namespace
}  // namespace herald::capture
