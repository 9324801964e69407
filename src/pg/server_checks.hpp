#pragma once
// What herald needs from the PostgreSQL server before it can capture, checked at
// `herald setup`, `check` and `run`. Each failure's message tells the user what to
// change, in their terms.

#include <string>
#include <vector>

#include "pg/connection.hpp"

namespace herald::pg {

// wal_level must be `logical`; when it is not, the error says how to set it and that
// PostgreSQL must be restarted (a reload does not change wal_level).
Result<void> check_wal_level(Connection& connection);

// The connected role must be a superuser or have the REPLICATION attribute to create
// slots and stream from them.
Result<void> check_replication_role(Connection& connection);

// max_replication_slots and max_wal_senders must leave room for herald's slot and stream.
Result<void> check_replication_capacity(Connection& connection);

struct TableName {
  std::string schema;  // as stored in the catalog: case-sensitive, unquoted
  std::string table;
  friend bool operator==(const TableName&, const TableName&) = default;
};

// The tables (or partitioned tables) of `tables` that do not exist, in the given order.
Result<std::vector<TableName>> missing_tables(Connection& connection,
                                              const std::vector<TableName>& tables);

// missing_tables as a check: an error naming every missing table at once.
Result<void> check_tables_exist(Connection& connection, const std::vector<TableName>& tables);

}  // namespace herald::pg
