#pragma once
// Rules compiled from the config: which changes become events, with which subject.
// One RuleSet serves every consumer of events (sinks and live subscriptions alike).

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "capture/change.hpp"
#include "config/config.hpp"
#include "config/loader.hpp"
#include "event/condition.hpp"
#include "event/event.hpp"

namespace herald::event {

struct CompiledRule {
  std::size_t index = 0;  // position in config.observers.rules
  const config::Rule* config = nullptr;
  std::string qualified_table;  // "public.tb_order"
  bool on_insert = false, on_update = false, on_delete = false;
  std::optional<Condition> condition;
};

// An [[observers.publish]] entry: a mutation whose success becomes an event.
struct CompiledPublish {
  std::size_t index = 0;
  const config::Publish* config = nullptr;
};

class RuleSet {
 public:
  // Compiles every rule's condition; errors are located in the user's file.
  static std::variant<RuleSet, std::vector<config::ConfigError>> compile(
      const config::Observers& observers);

  // The primary key of a table, from the catalog. Without it herald falls back to an
  // `id` column, then to the replica identity key columns.
  void set_primary_key(const std::string& qualified_table, std::vector<std::string> columns);

  using Emit = std::function<void(const CompiledRule&, Event&&)>;
  // Calls `emit` once per rule the change satisfies, in rule order. The events take the
  // change's rows: `change` is not for use afterwards.
  void match(capture::Change& change, const Emit& emit) const;

  using EmitPublished = std::function<void(const CompiledPublish&, Event&&)>;
  // A logical message with prefix "herald" written by a GraphQL mutation; content is
  // {"mutation", "entity_type", "entity_id", "entity"}. Returns false when the message is
  // not herald's or is malformed (the caller logs it).
  bool match_message(const capture::LogicalMessage& message, const EmitPublished& emit) const;

  const std::vector<CompiledRule>& rules() const { return rules_; }
  // Every observed table, "schema.table", sorted.
  std::vector<std::string> tables() const;
  // Tables whose rules need the whole old row: UPDATE/DELETE rules, old.x, changed.
  std::vector<std::string> tables_needing_old_rows() const;

  // The subject of an event of `rule` for `op` when neither rule nor action names one.
  std::string default_subject(const CompiledRule& rule, capture::Operation op) const;

 private:
  explicit RuleSet(const config::Observers& observers)
      : observers_(std::make_unique<const config::Observers>(observers)) {}

  Event base_event(const capture::Change& change) const;
  nlohmann::json entity_id_of(const capture::Change& change, const nlohmann::json& row) const;

  // A copy the compiled rules point into; on the heap so that moving a RuleSet keeps
  // those pointers valid.
  std::unique_ptr<const config::Observers> observers_;
  std::vector<CompiledRule> rules_;
  std::vector<CompiledPublish> publishes_;
  std::unordered_map<std::string, std::vector<std::size_t>> by_table_;
  std::unordered_map<std::string, std::vector<std::string>> primary_keys_;
};

}  // namespace herald::event
