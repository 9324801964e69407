#include "event/rule_set.hpp"

#include <gtest/gtest.h>

#include "capture/exact_json.hpp"
#include "event/envelope.hpp"

namespace herald::event {
namespace {

using json = nlohmann::json;
using capture::Operation;

std::shared_ptr<const capture::Relation> order_relation(
    capture::ReplicaIdentity identity = capture::ReplicaIdentity::Full) {
  auto r = std::make_shared<capture::Relation>();
  r->oid = 16400;
  r->schema = "public";
  r->name = "tb_order";
  r->replica_identity = identity;
  bool all_key = identity == capture::ReplicaIdentity::Full;
  r->columns = {{"id", 2950, -1, true}, {"status", 25, -1, all_key}, {"total", 1700, -1, all_key}};
  return r;
}

capture::Change change(Operation op, json row, json old = nullptr,
                       capture::OldRow kind = capture::OldRow::None) {
  capture::Change c;
  c.relation = order_relation();
  c.op = op;
  if (op == Operation::Delete) {
    c.old_row = std::move(row);
    c.old_kind = kind == capture::OldRow::None ? capture::OldRow::Full : kind;
  } else {
    c.new_row = std::move(row);
    c.old_row = std::move(old);
    c.old_kind = kind;
  }
  c.txn.xid = 1234;
  c.txn.commit_lsn = 0x1A2B3C4;
  c.txn.position = 2;
  c.txn.commit_time = capture::commit_time_from_pg(826'000'000'123'456);
  return c;
}

config::Rule rule(std::string name, std::vector<config::Operation> events) {
  config::Rule r;
  r.name = std::move(name);
  r.schema = "public";
  r.table = "tb_order";
  r.events = std::move(events);
  r.condition_pos = {"fraiseql.toml", 10, 13};
  return r;
}

RuleSet compile_ok(const config::Observers& obs) {
  auto compiled = RuleSet::compile(obs);
  if (auto* errors = std::get_if<std::vector<config::ConfigError>>(&compiled)) {
    ADD_FAILURE() << errors->front().to_string();
  }
  return std::move(std::get<RuleSet>(compiled));
}

struct Matched {
  std::string rule;
  Event event;
};

std::vector<Matched> run(const RuleSet& set, capture::Change c) {  // a copy: match takes the rows
  std::vector<Matched> out;
  set.match(c, [&](const CompiledRule& r, Event&& e) {
    out.push_back({r.config->name, std::move(e)});
  });
  return out;
}

const json kPaid = {
    {"id", "550e8400-e29b-41d4-a716-446655440000"}, {"status", "paid"}, {"total", 42.5}};

TEST(RuleSet, InsertBecomesAnEventWithTheSpecShape) {
  config::Observers obs;
  obs.rules.push_back(rule("order-created", {config::Operation::Insert}));
  RuleSet set = compile_ok(obs);
  auto matched = run(set, change(Operation::Insert, kPaid));
  ASSERT_EQ(matched.size(), 1u);
  EXPECT_EQ(
      encode(matched[0].event, config::Format::Fraiseql),
      R"({"id":"0000000001A2B3C4-0002","event":"fraiseql.order.created","entity_type":"order",)"
      R"("operation":"created","entity_id":"550e8400-e29b-41d4-a716-446655440000",)"
      R"("entity":{"id":"550e8400-e29b-41d4-a716-446655440000","status":"paid","total":42.5},)"
      R"("old":null,"changed":[],"table":"public.tb_order",)"
      R"("timestamp":"2026-03-05T04:26:40.123456Z","txid":1234,"lsn":"0/1A2B3C4"})");
}

TEST(RuleSet, CloudEventsCarryTheSameContent) {
  config::Observers obs;
  obs.rules.push_back(rule("order-created", {config::Operation::Insert}));
  RuleSet set = compile_ok(obs);
  auto matched = run(set, change(Operation::Insert, kPaid));
  ASSERT_EQ(matched.size(), 1u);
  json ce = json::parse(encode(matched[0].event, config::Format::CloudEvents));
  EXPECT_EQ(ce["specversion"], "1.0");
  EXPECT_EQ(ce["id"], "0000000001A2B3C4-0002");
  EXPECT_EQ(ce["type"], "fraiseql.order.created");
  EXPECT_EQ(ce["source"], "/herald/public.tb_order");
  EXPECT_EQ(ce["subject"], "550e8400-e29b-41d4-a716-446655440000");
  EXPECT_EQ(ce["time"], "2026-03-05T04:26:40.123456Z");
  EXPECT_EQ(ce["datacontenttype"], "application/json");
  EXPECT_EQ(ce["data"]["entity"]["status"], "paid");
  EXPECT_EQ(ce["data"]["operation"], "created");
}

TEST(RuleSet, OperationsSelectRulesAndSubjects) {
  config::Observers obs;
  obs.subject_prefix = "shop";
  obs.rules.push_back(rule(
      "all", {config::Operation::Insert, config::Operation::Update, config::Operation::Delete}));
  auto named = rule("deletes", {config::Operation::Delete});
  named.subject = "audit.order.gone";
  obs.rules.push_back(named);
  RuleSet set = compile_ok(obs);

  auto inserted = run(set, change(Operation::Insert, kPaid));
  ASSERT_EQ(inserted.size(), 1u);
  EXPECT_EQ(inserted[0].event.subject, "shop.order.created");

  auto deleted = run(set, change(Operation::Delete, kPaid));
  ASSERT_EQ(deleted.size(), 2u);
  EXPECT_EQ(deleted[0].event.subject, "shop.order.deleted");
  EXPECT_EQ(deleted[1].event.subject, "audit.order.gone");
  EXPECT_EQ(deleted[1].event.operation, "deleted");
  EXPECT_EQ(deleted[1].event.entity["status"], "paid");  // DELETE carries the old row
  // Two events of one change: each its own id (the brokers dedupe by id).
  EXPECT_EQ(deleted[0].event.id, "0000000001A2B3C4-0002");
  EXPECT_EQ(deleted[1].event.id, "0000000001A2B3C4-0002.1");
}

TEST(RuleSet, UnobservedTablesProduceNothing) {
  config::Observers obs;
  obs.rules.push_back(rule("all", {config::Operation::Insert}));
  RuleSet set = compile_ok(obs);
  capture::Change c = change(Operation::Insert, kPaid);
  auto other = std::make_shared<capture::Relation>(*c.relation);
  other->name = "tb_invoice";
  c.relation = other;
  EXPECT_TRUE(run(set, c).empty());
}

TEST(RuleSet, UpdateThatChangesNothingIsNoEvent) {
  config::Observers obs;
  obs.rules.push_back(rule("upd", {config::Operation::Update}));
  RuleSet set = compile_ok(obs);
  EXPECT_TRUE(run(set, change(Operation::Update, kPaid, kPaid, capture::OldRow::Full)).empty());
}

TEST(RuleSet, UpdateCarriesOldRowAndChangedColumns) {
  config::Observers obs;
  obs.rules.push_back(rule("upd", {config::Operation::Update}));
  RuleSet set = compile_ok(obs);
  json old = kPaid;
  old["status"] = "open";
  old["total"] = 40;
  auto matched = run(set, change(Operation::Update, kPaid, old, capture::OldRow::Full));
  ASSERT_EQ(matched.size(), 1u);
  EXPECT_EQ(matched[0].event.old, old);
  EXPECT_EQ(matched[0].event.changed, (std::vector<std::string>{"status", "total"}));
}

TEST(RuleSet, ChangedListFiltersUpdates) {
  config::Observers obs;
  auto r = rule("status-changed", {config::Operation::Update});
  r.changed = {"status"};
  obs.rules.push_back(r);
  RuleSet set = compile_ok(obs);
  json old_total = kPaid;
  old_total["total"] = 1;
  EXPECT_TRUE(run(set, change(Operation::Update, kPaid, old_total, capture::OldRow::Full)).empty());
  json old_status = kPaid;
  old_status["status"] = "open";
  EXPECT_EQ(run(set, change(Operation::Update, kPaid, old_status, capture::OldRow::Full)).size(),
            1u);
}

TEST(RuleSet, ConditionFilters) {
  config::Observers obs;
  auto r = rule("big-paid", {config::Operation::Insert});
  r.condition = "status == 'paid' && total >= 40";
  obs.rules.push_back(r);
  RuleSet set = compile_ok(obs);
  EXPECT_EQ(run(set, change(Operation::Insert, kPaid)).size(), 1u);
  json small = kPaid;
  small["total"] = 10;
  EXPECT_TRUE(run(set, change(Operation::Insert, small)).empty());
}

TEST(RuleSet, ConditionSeesExactNumerics) {
  config::Observers obs;
  auto r = rule("huge", {config::Operation::Insert});
  r.condition = "total > 1000000000000000000000";
  obs.rules.push_back(r);
  RuleSet set = compile_ok(obs);
  json row = kPaid;
  row["total"] = *capture::make_exact_number("12345678901234567890123.000000000000000001");
  auto matched = run(set, change(Operation::Insert, row));
  ASSERT_EQ(matched.size(), 1u);
  EXPECT_NE(encode(matched[0].event, config::Format::Fraiseql)
                .find(R"("total":12345678901234567890123.000000000000000001)"),
            std::string::npos);
}

TEST(RuleSet, ConditionErrorsAreLocatedInTheFile) {
  config::Observers obs;
  auto r = rule("bad", {config::Operation::Insert});
  r.condition = "status = 'paid'";
  obs.rules.push_back(r);
  auto compiled = RuleSet::compile(obs);
  auto* errors = std::get_if<std::vector<config::ConfigError>>(&compiled);
  ASSERT_NE(errors, nullptr);
  ASSERT_EQ(errors->size(), 1u);
  EXPECT_EQ(errors->front().to_string(),
            "fraiseql.toml:10:20: condition: '=' is not an operator; write '==' to compare");
}

TEST(RuleSet, EntityIdFollowsThePrimaryKey) {
  config::Observers obs;
  obs.rules.push_back(rule("ins", {config::Operation::Insert}));
  RuleSet set = compile_ok(obs);
  set.set_primary_key("public.tb_order", {"status", "total"});
  auto matched = run(set, change(Operation::Insert, kPaid));
  ASSERT_EQ(matched.size(), 1u);
  EXPECT_EQ(matched[0].event.entity_id, (json{{"status", "paid"}, {"total", 42.5}}));
}

TEST(RuleSet, TablesNeedingOldRows) {
  config::Observers obs;
  obs.rules.push_back(rule("ins", {config::Operation::Insert}));
  auto other = rule("upd", {config::Operation::Update});
  other.table = "tb_user";
  obs.rules.push_back(other);
  RuleSet set = compile_ok(obs);
  EXPECT_EQ(set.tables(), (std::vector<std::string>{"public.tb_order", "public.tb_user"}));
  EXPECT_EQ(set.tables_needing_old_rows(), (std::vector<std::string>{"public.tb_user"}));
}

TEST(RuleSet, PublishedMutationMessagesBecomeEvents) {
  config::Observers obs;
  config::Publish p;
  p.mutation = "createOrder";
  p.subject = "fraiseql.order.created";
  obs.publish.push_back(p);
  RuleSet set = compile_ok(obs);
  capture::LogicalMessage m;
  m.transactional = true;
  m.prefix = "herald";
  m.content = R"({"mutation":"createOrder","entity_type":"order","entity_id":7,"entity":{"id":7}})";
  m.txn = capture::TransactionPosition{99, 0x500, 1, capture::commit_time_from_pg(0)};
  std::vector<Event> events;
  EXPECT_TRUE(
      set.match_message(m, [&](const CompiledPublish&, Event&& e) { events.push_back(e); }));
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].id, "0000000000000500-0001");
  EXPECT_EQ(events[0].operation, "createOrder");
  EXPECT_EQ(events[0].subject, "fraiseql.order.created");
  EXPECT_EQ(events[0].entity, (json{{"id", 7}}));

  m.prefix = "other";
  EXPECT_FALSE(set.match_message(m, [&](const CompiledPublish&, Event&&) {}));
}

TEST(EventId, IsSortableByCommitOrder) {
  EXPECT_EQ(make_event_id(0x1A2B3C4, 2), "0000000001A2B3C4-0002");
  EXPECT_LT(make_event_id(0x1A2B3C4, 2), make_event_id(0x1A2B3C5, 0));
  EXPECT_EQ(make_event_id(0x10, 0x12345), "0000000000000010-12345");
}

}  // namespace
}  // namespace herald::event

namespace herald::event {
namespace {

// Rows and `changed` follow the table's column order, not the alphabet.
TEST(RuleSet, RowsAndChangedColumnsKeepTheTablesColumnOrder) {
  config::Observers obs;
  obs.rules.push_back(rule("order-updated", {config::Operation::Update}));
  RuleSet set = compile_ok(obs);
  auto relation = std::make_shared<capture::Relation>(*order_relation());
  relation->columns = {{"total", 1700, -1, true}, {"status", 25, -1, true}, {"id", 2950, -1, true}};
  capture::Change c = change(Operation::Update, {{"id", 7}, {"status", "paid"}, {"total", 50}},
                             {{"id", 7}, {"status", "open"}, {"total", 42}}, capture::OldRow::Full);
  c.relation = relation;
  auto matched = run(set, c);
  ASSERT_EQ(matched.size(), 1u);
  const std::string text = encode(matched[0].event, config::Format::Fraiseql);
  EXPECT_NE(text.find(R"("entity":{"total":50,"status":"paid","id":7})"), std::string::npos)
      << text;
  EXPECT_NE(text.find(R"("old":{"total":42,"status":"open","id":7})"), std::string::npos) << text;
  EXPECT_NE(text.find(R"("changed":["total","status"])"), std::string::npos) << text;
  const std::string cloud = encode(matched[0].event, config::Format::CloudEvents);
  EXPECT_NE(cloud.find(R"("entity":{"total":50,"status":"paid","id":7})"), std::string::npos)
      << cloud;
}

}  // namespace
}  // namespace herald::event
