#include "pg/slots.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>

namespace herald::pg {
namespace {

constexpr std::size_t kMaxSlotName = 63;  // NAMEDATALEN - 1

bool is_slot_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
}

std::optional<Lsn> optional_lsn(const QueryResult& rows, int row, int column) {
  const auto text = rows.get_optional(row, column);
  if (!text) return std::nullopt;
  return Lsn::parse(*text);
}

}  // namespace

Result<void> validate_slot_name(std::string_view name) {
  if (name.empty() || name.size() > kMaxSlotName ||
      !std::all_of(name.begin(), name.end(), is_slot_char)) {
    return make_usage_error(fmt::format(
        "invalid replication slot name \"{}\": use 1-63 lowercase letters, digits or underscores",
        name));
  }
  return {};
}

Result<Lsn> create_logical_slot(Connection& connection, std::string_view name,
                                std::string_view plugin) {
  if (auto valid = validate_slot_name(name); !valid) return valid.error();
  auto rows =
      connection.exec_params("SELECT lsn::text FROM pg_create_logical_replication_slot($1, $2)",
                             {std::string(name), std::string(plugin)});
  if (!rows) return rows.error();
  const auto lsn = Lsn::parse(rows->get(0, 0));
  if (!lsn) {
    return make_protocol_error(
        fmt::format("creating slot \"{}\": the server returned LSN \"{}\"", name, rows->get(0, 0)));
  }
  return *lsn;
}

Result<void> drop_slot(Connection& connection, std::string_view name) {
  auto rows = connection.exec_params("SELECT pg_drop_replication_slot($1)", {std::string(name)});
  if (!rows) return rows.error();
  return {};
}

Result<std::optional<SlotInfo>> find_slot(Connection& connection, std::string_view name) {
  auto rows = connection.exec_params(
      "SELECT slot_name::text, plugin::text, database::text, active, active_pid, "
      "restart_lsn::text, confirmed_flush_lsn::text "
      "FROM pg_replication_slots WHERE slot_name = $1",
      {std::string(name)});
  if (!rows) return rows.error();
  if (rows->rows() == 0) return std::optional<SlotInfo>();
  SlotInfo info;
  info.name = rows->get(0, 0);
  info.plugin = rows->get(0, 1);
  info.database = rows->get(0, 2);
  info.active = rows->get(0, 3) == "t";
  if (const auto pid = rows->get_optional(0, 4)) {
    int value = 0;
    std::from_chars(pid->data(), pid->data() + pid->size(), value);
    info.active_pid = value;
  }
  info.restart_lsn = optional_lsn(*rows, 0, 5);
  info.confirmed_flush_lsn = optional_lsn(*rows, 0, 6);
  return std::optional<SlotInfo>(std::move(info));
}

}  // namespace herald::pg
