#include "pg/server_checks.hpp"

#include <fmt/format.h>

#include "pg/quote.hpp"

namespace herald::pg {
namespace {

Error setup_error(std::string message) {
  Error error;
  error.kind = ErrorKind::Server;
  error.message = std::move(message);
  return error;
}

Result<std::string> show_setting(Connection& connection, std::string_view name) {
  auto rows = connection.exec_params("SELECT current_setting($1)", {std::string(name)});
  if (!rows) return rows.error();
  return std::string(rows->get(0, 0));
}

}  // namespace

Result<void> check_wal_level(Connection& connection) {
  auto level = show_setting(connection, "wal_level");
  if (!level) return level.error();
  if (*level == "logical") return {};
  return setup_error(fmt::format(
      "PostgreSQL at {} runs with wal_level = {}, but herald captures changes by logical "
      "replication, which needs wal_level = logical. Set it as a superuser with "
      "`ALTER SYSTEM SET wal_level = logical;` (or `wal_level = logical` in postgresql.conf) "
      "and restart PostgreSQL: a reload is not enough for wal_level.",
      connection.describe(), *level));
}

Result<void> check_replication_role(Connection& connection) {
  auto rows = connection.exec(
      "SELECT current_user::text, rolsuper, rolreplication FROM pg_roles "
      "WHERE rolname = current_user");
  if (!rows) return rows.error();
  if (rows->rows() == 0) {
    return setup_error("cannot find the connected role in pg_roles");
  }
  const std::string_view role = rows->get(0, 0);
  if (rows->get(0, 1) == "t" || rows->get(0, 2) == "t") return {};
  return setup_error(
      fmt::format("role {} may not use logical replication: it is neither a superuser nor has the "
                  "REPLICATION attribute. As a superuser run `ALTER ROLE {} REPLICATION;`",
                  quote_ident(role), quote_ident(role)));
}

Result<void> check_replication_capacity(Connection& connection) {
  for (const char* setting : {"max_replication_slots", "max_wal_senders"}) {
    auto value = show_setting(connection, setting);
    if (!value) return value.error();
    if (*value == "0") {
      return setup_error(fmt::format(
          "PostgreSQL at {} has {} = 0; herald needs at least 1 for its slot and stream. Set "
          "`ALTER SYSTEM SET {} = 10;` and restart PostgreSQL.",
          connection.describe(), setting, setting));
    }
  }
  return {};
}

Result<std::vector<TableName>> missing_tables(Connection& connection,
                                              const std::vector<TableName>& tables) {
  std::vector<TableName> missing;
  for (const TableName& name : tables) {
    // relkind r = table, p = partitioned table: the ones a publication can hold.
    auto rows = connection.exec_params(
        "SELECT 1 FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE n.nspname = $1 AND c.relname = $2 AND c.relkind IN ('r', 'p')",
        {name.schema, name.table});
    if (!rows) return rows.error();
    if (rows->rows() == 0) missing.push_back(name);
  }
  return missing;
}

Result<void> check_tables_exist(Connection& connection, const std::vector<TableName>& tables) {
  auto missing = missing_tables(connection, tables);
  if (!missing) return missing.error();
  if (missing->empty()) return {};
  std::string names;
  for (const TableName& name : *missing) {
    if (!names.empty()) names += ", ";
    names += qualified_name(name.schema, name.table);
  }
  return setup_error(fmt::format("{} {} not exist in the database at {}", names,
                                 missing->size() == 1 ? "does" : "do", connection.describe()));
}

}  // namespace herald::pg
