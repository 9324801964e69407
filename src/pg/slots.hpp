#pragma once
// Logical replication slots: the durable cursor herald reads WAL from.
//
// Slots are created and dropped with the SQL functions pg_create_logical_replication_slot
// and pg_drop_replication_slot on an ordinary connection rather than with the
// replication commands CREATE_REPLICATION_SLOT / DROP_REPLICATION_SLOT: the name
// travels as a bind parameter instead of being spliced into a command that accepts
// none, `herald setup` and `teardown` need no walsender connection (and no free
// max_wal_senders entry), and the same connection can create the publication and the
// herald schema. The SQL function waits for running transactions just as the command
// does. herald never needs the exported snapshot the command offers (events start at
// the slot, no initial copy). One constraint: it cannot run inside a transaction that
// has already written, so setup creates the slot outside its DDL transaction.

#include <optional>
#include <string>
#include <string_view>

#include "pg/connection.hpp"
#include "pg/lsn.hpp"

namespace herald::pg {

// PostgreSQL's rule for slot names: 1-63 characters of [a-z0-9_].
Result<void> validate_slot_name(std::string_view name);

// Creates a logical slot using pgoutput; returns the LSN from which it decodes.
// An existing slot of that name is an error with SQLSTATE 42710 (duplicate_object).
Result<Lsn> create_logical_slot(Connection& connection, std::string_view name,
                                std::string_view plugin = "pgoutput");

// Drops the slot; 42704 if it does not exist, 55006 if a stream is using it.
Result<void> drop_slot(Connection& connection, std::string_view name);

struct SlotInfo {
  std::string name;
  std::string plugin;
  std::string database;
  bool active = false;
  std::optional<int> active_pid;
  std::optional<Lsn> restart_lsn;
  std::optional<Lsn> confirmed_flush_lsn;
};

// The slot as pg_replication_slots shows it, or nullopt when there is none.
Result<std::optional<SlotInfo>> find_slot(Connection& connection, std::string_view name);

}  // namespace herald::pg
