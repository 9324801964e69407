#pragma once
// An event: one committed change (or one published mutation) as herald delivers it.

#include <nlohmann/json.hpp>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "capture/lsn.hpp"
#include "capture/pg_time.hpp"
#include "capture/relation.hpp"

namespace herald::event {

struct Event {
  std::string id;                    // stable: commit LSN + position in the transaction
  std::string subject;               // where the rule sends it unless an action overrides
  std::string entity_type;           // "order" for tb_order
  std::string operation;             // created | updated | deleted | <mutation name>
  nlohmann::json entity_id;          // the primary key value; an object when composite
  nlohmann::json entity;             // the new row (the old row for DELETE)
  nlohmann::json old;                // the old row when known, else null
  std::vector<std::string> changed;  // columns an UPDATE changed, when the old row is known
  std::string table;                 // "public.tb_order"; empty for mutation events
  capture::CommitTime timestamp{};
  std::uint32_t txid = 0;
  capture::Lsn lsn = 0;  // the transaction's commit LSN
  std::uint32_t position = 0;
  // The table as the change saw it: rows are written in its column order. Null for
  // mutation events (their entity keeps the order it has).
  std::shared_ptr<const capture::Relation> relation;

  // The key that orders deliveries: events with the same key reach an action in commit
  // order; events with different keys do not wait for each other.
  std::string ordering_key() const;
};

// "0000000001A2B3C4-0002": 16 hex digits of the commit LSN, then the position in the
// transaction (4 hex digits, more when needed). Sorting ids sorts by commit order.
std::string make_event_id(capture::Lsn commit_lsn, std::uint32_t position);

// "order" for "tb_order"; other names unchanged.
std::string entity_name(const std::string& table);

}  // namespace herald::event
