#include "event/rule_set.hpp"

#include <fmt/compile.h>
#include <fmt/format.h>

#include <algorithm>
#include <set>

#include "capture/exact_json.hpp"

namespace herald::event {
namespace {

using json = nlohmann::json;
using capture::Operation;

// The file position of character `offset` of a string value that starts at `start`.
config::SourcePos position_in(const config::SourcePos& start, const std::string& text,
                              std::size_t offset) {
  config::SourcePos pos = start;
  for (std::size_t i = 0; i < offset && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++pos.line;
      pos.column = 1;
    } else {
      ++pos.column;
    }
  }
  return pos;
}

bool rule_wants(const CompiledRule& r, Operation op) {
  switch (op) {
    case Operation::Insert:
      return r.on_insert;
    case Operation::Update:
      return r.on_update;
    case Operation::Delete:
      return r.on_delete;
  }
  return false;
}

// Columns whose values differ between two full rows.
// In the table's column order, like the rows in the event.
std::vector<std::string> changed_columns(const capture::Relation& relation, const json& row,
                                         const json& old) {
  std::vector<std::string> out;
  for (const auto& column : relation.columns) {
    auto n = row.find(column.name);
    if (n == row.end()) continue;  // an unchanged TOASTed value we do not know
    auto o = old.find(column.name);
    if (o == old.end() || !(*o == *n)) out.push_back(column.name);
  }
  return out;
}

}  // namespace

std::variant<RuleSet, std::vector<config::ConfigError>> RuleSet::compile(
    const config::Observers& observers) {
  RuleSet set(observers);
  std::vector<config::ConfigError> errors;
  const config::Observers& own = *set.observers_;
  for (std::size_t i = 0; i < own.rules.size(); ++i) {
    const config::Rule& rule = own.rules[i];
    CompiledRule compiled;
    compiled.index = i;
    compiled.config = &rule;
    compiled.qualified_table = rule.schema + "." + rule.table;
    for (config::Operation op : rule.events) {
      compiled.on_insert |= op == config::Operation::Insert;
      compiled.on_update |= op == config::Operation::Update;
      compiled.on_delete |= op == config::Operation::Delete;
    }
    if (rule.condition) {
      auto parsed = Condition::parse(*rule.condition);
      if (auto* err = std::get_if<ConditionError>(&parsed)) {
        errors.push_back({position_in(rule.condition_pos, *rule.condition, err->offset),
                          fmt::format("condition: {}", err->message)});
        continue;
      }
      compiled.condition = std::move(std::get<Condition>(parsed));
    }
    set.by_table_[compiled.qualified_table].push_back(set.rules_.size());
    set.rules_.push_back(std::move(compiled));
  }
  for (std::size_t i = 0; i < own.publish.size(); ++i) {
    set.publishes_.push_back(CompiledPublish{i, &own.publish[i]});
  }
  if (!errors.empty()) return errors;
  return set;
}

void RuleSet::set_primary_key(const std::string& qualified_table,
                              std::vector<std::string> columns) {
  primary_keys_[qualified_table] = std::move(columns);
}

std::vector<std::string> RuleSet::tables() const {
  std::set<std::string> out;
  for (const auto& r : rules_) out.insert(r.qualified_table);
  return {out.begin(), out.end()};
}

std::vector<std::string> RuleSet::tables_needing_old_rows() const {
  std::set<std::string> out;
  for (const auto& r : rules_) {
    bool needs = r.on_update || r.on_delete || !r.config->changed.empty() ||
                 (r.condition && r.condition->reads_old_row());
    if (needs) out.insert(r.qualified_table);
  }
  return {out.begin(), out.end()};
}

std::string RuleSet::default_subject(const CompiledRule& rule, Operation op) const {
  if (rule.config->subject) return *rule.config->subject;
  return fmt::format(FMT_COMPILE("{}.{}.{}"), observers_->subject_prefix,
                     entity_name(rule.config->table), operation_name(op));
}

json RuleSet::entity_id_of(const capture::Change& change, const json& row) const {
  std::vector<std::string> key;
  if (auto it = primary_keys_.find(change.relation->qualified_name()); it != primary_keys_.end()) {
    key = it->second;
  } else if (row.is_object() && row.contains("id")) {
    key = {"id"};
  } else if (change.relation->replica_identity != capture::ReplicaIdentity::Full) {
    key = change.relation->key_columns();
  }
  if (key.empty() || !row.is_object()) return nullptr;
  auto value_of = [&](const std::string& col) {
    auto it = row.find(col);
    return it == row.end() ? json(nullptr) : *it;
  };
  if (key.size() == 1) return value_of(key.front());
  json composite = json::object();
  for (const auto& col : key) composite[col] = value_of(col);
  return composite;
}

Event RuleSet::base_event(const capture::Change& change) const {
  Event e;
  e.id = make_event_id(change.txn.commit_lsn, change.txn.position);
  e.entity_type = entity_name(change.relation->name);
  e.operation = operation_name(change.op);
  e.table = change.relation->qualified_name();
  e.timestamp = change.txn.commit_time;
  e.txid = change.txn.xid;
  e.lsn = change.txn.commit_lsn;
  e.position = change.txn.position;
  e.relation = change.relation;
  return e;
}

void RuleSet::match(capture::Change& change, const Emit& emit) const {
  auto found = by_table_.find(change.relation->qualified_name());
  if (found == by_table_.end()) return;

  const bool is_update = change.op == Operation::Update;
  const bool old_full = change.old_kind == capture::OldRow::Full;
  json& row = change.op == Operation::Delete ? change.old_row : change.new_row;

  std::vector<std::string> changed;
  if (is_update && old_full) {
    changed = changed_columns(*change.relation, change.new_row, change.old_row);
    if (changed.empty()) return;  // an UPDATE that changed nothing is no event
  }

  // The rules the change satisfies, decided while the rows are still in the change.
  const json* old_for_condition =
      change.old_kind == capture::OldRow::None ? nullptr : &change.old_row;
  const RowView view{&row, old_for_condition, is_update};
  std::vector<const CompiledRule*> matched;
  for (std::size_t index : found->second) {
    const CompiledRule& rule = rules_[index];
    if (!rule_wants(rule, change.op)) continue;
    if (is_update && old_full && !rule.config->changed.empty()) {
      bool any = std::any_of(rule.config->changed.begin(), rule.config->changed.end(),
                             [&](const std::string& c) {
                               return std::find(changed.begin(), changed.end(), c) != changed.end();
                             });
      if (!any) continue;
    }
    if (rule.condition && !rule.condition->matches(view)) continue;
    matched.push_back(&rule);
  }
  if (matched.empty()) return;

  // The rows move into the event (a deep copy per event was a noticeable share of
  // herald's CPU); every match but the last gets a copy of it.
  Event base = base_event(change);
  base.entity_id = entity_id_of(change, row);
  if (old_full && is_update) base.old = std::move(change.old_row);
  base.entity = std::move(row);
  base.changed = std::move(changed);
  // Each event needs an id of its own (ids are the brokers' dedup keys): the first rule's
  // event has the change's id, the k-th further one adds ".k". Rules match in config
  // order and conditions depend on the row only, so a replay yields the same ids.
  for (std::size_t k = 0; k < matched.size(); ++k) {
    const bool last = k + 1 == matched.size();
    Event e = last ? Event(std::move(base)) : Event(base);
    e.subject = default_subject(*matched[k], change.op);
    if (k > 0) e.id += "." + std::to_string(k);
    emit(*matched[k], std::move(e));
  }
}

bool RuleSet::match_message(const capture::LogicalMessage& message,
                            const EmitPublished& emit) const {
  if (message.prefix != "herald" || !message.txn) return false;
  auto content = capture::parse_json_exact(message.content);
  if (!content || !content->is_object()) return false;
  auto mutation = content->find("mutation");
  if (mutation == content->end() || !mutation->is_string()) return false;
  const std::string& name = mutation->get_ref<const std::string&>();

  for (const auto& p : publishes_) {
    if (p.config->mutation != name) continue;
    Event e;
    e.id = make_event_id(message.txn->commit_lsn, message.txn->position);
    e.subject = p.config->subject;
    e.operation = name;
    e.entity_type = content->value("entity_type", std::string());
    e.entity_id = content->value("entity_id", json(nullptr));
    e.entity = content->value("entity", json(nullptr));
    e.timestamp = message.txn->commit_time;
    e.txid = message.txn->xid;
    e.lsn = message.txn->commit_lsn;
    e.position = message.txn->position;
    emit(p, std::move(e));
  }
  return true;
}

}  // namespace herald::event
