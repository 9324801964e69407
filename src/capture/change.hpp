#pragma once
// What the decoder emits: transaction boundaries, row changes, truncates and logical
// messages, one at a time through a ChangeVisitor (nothing is buffered per transaction).

#include "capture/lsn.hpp"
#include "common/operation.hpp"
#include "capture/pg_time.hpp"
#include "capture/relation.hpp"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace herald::capture {

using TransactionId = std::uint32_t;

using Operation = herald::Operation;

// How much of the old row PostgreSQL sent.
enum class OldRow {
  None,     // nothing: INSERT, or UPDATE that did not change the replica identity key
  KeyOnly,  // 'K': the replica identity columns only
  Full,     // 'O': the whole old row (REPLICA IDENTITY FULL)
};

// Where a change sits: the stable event id is derived from commit_lsn + position.
struct TransactionPosition {
  TransactionId xid = 0;
  Lsn commit_lsn = 0;          // the transaction's final LSN, from Begin
  std::uint32_t position = 0;  // 0-based over every change/truncate/message of the txn
  CommitTime commit_time{};
};

struct Change {
  std::shared_ptr<const Relation> relation;
  Operation op = Operation::Insert;
  // Objects keyed by column name. new_row is null for DELETE; old_row is null unless
  // old_kind says PostgreSQL sent one (KeyOnly: just the key columns).
  nlohmann::json new_row;
  nlohmann::json old_row;
  OldRow old_kind = OldRow::None;
  // Unchanged TOASTed columns ('u') whose value we do not know: they are left out of
  // new_row (never guessed) and listed here. When the full old row was sent the value is
  // copied from it instead and the column is not listed.
  std::vector<std::string> unchanged_toast;
  // The replica identity columns' values (from new_row, or old_row for DELETE).
  nlohmann::json key;
  TransactionPosition txn;
};

struct Begin {
  TransactionId xid = 0;
  Lsn final_lsn = 0;
  CommitTime commit_time{};
};

struct Commit {
  std::uint8_t flags = 0;
  Lsn commit_lsn = 0;
  Lsn end_lsn = 0;
  CommitTime commit_time{};
};

struct Truncate {
  std::vector<std::shared_ptr<const Relation>> relations;
  bool cascade = false;
  bool restart_identity = false;
  TransactionPosition txn;
};

// pg_logical_emit_message(transactional, prefix, content). herald's own published events
// use prefix "herald" with JSON content; the decoder passes every message on as is.
struct LogicalMessage {
  bool transactional = false;
  Lsn lsn = 0;  // the message's own LSN
  std::string prefix;
  std::string content;  // raw bytes
  // Set only for transactional messages (non-transactional ones belong to no txn).
  std::optional<TransactionPosition> txn;
};

class ChangeVisitor {
 public:
  virtual ~ChangeVisitor() = default;
  virtual void on_begin(const Begin& begin) = 0;
  // The visitor may take the rows: the decoder does not use `change` afterwards.
  virtual void on_change(Change& change) = 0;
  virtual void on_truncate(const Truncate& truncate) = 0;
  virtual void on_message(const LogicalMessage& message) = 0;
  virtual void on_commit(const Commit& commit) = 0;
  // Schema knowledge arriving; most visitors ignore it.
  virtual void on_relation(const Relation& /*relation*/) {}
};

}  // namespace herald::capture
