#include "pg/query_result.hpp"

#include <cassert>
#include <charconv>

namespace herald::pg {

QueryResult::QueryResult(PgResult result) : result_(std::move(result)) {}

int QueryResult::rows() const {
  return PQntuples(result_.get());
}
int QueryResult::columns() const {
  return PQnfields(result_.get());
}

std::string_view QueryResult::column_name(int column) const {
  const char* name = PQfname(result_.get(), column);
  assert(name != nullptr);
  return name == nullptr ? std::string_view() : std::string_view(name);
}

std::optional<int> QueryResult::column_index(std::string_view name) const {
  for (int column = 0; column < columns(); ++column) {
    if (column_name(column) == name) return column;
  }
  return std::nullopt;
}

std::string_view QueryResult::get(int row, int column) const {
  assert(row >= 0 && row < rows() && column >= 0 && column < columns());
  const char* value = PQgetvalue(result_.get(), row, column);
  if (value == nullptr) return {};
  return std::string_view(value, static_cast<std::size_t>(PQgetlength(result_.get(), row, column)));
}

std::string_view QueryResult::get(int row, std::string_view column) const {
  const auto index = column_index(column);
  assert(index.has_value());
  return index ? get(row, *index) : std::string_view();
}

bool QueryResult::is_null(int row, int column) const {
  assert(row >= 0 && row < rows() && column >= 0 && column < columns());
  return PQgetisnull(result_.get(), row, column) != 0;
}

std::optional<std::string_view> QueryResult::get_optional(int row, int column) const {
  if (is_null(row, column)) return std::nullopt;
  return get(row, column);
}

std::string_view QueryResult::command_status() const {
  const char* status = PQcmdStatus(result_.get());
  return status == nullptr ? std::string_view() : std::string_view(status);
}

std::uint64_t QueryResult::affected_rows() const {
  const std::string_view text = PQcmdTuples(result_.get());
  std::uint64_t count = 0;
  std::from_chars(text.data(), text.data() + text.size(), count);
  return count;
}

}  // namespace herald::pg
