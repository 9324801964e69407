#pragma once
// The rows of a successful command, in text format. Owns the PGresult; values are
// string_views into it, valid while the QueryResult lives.

#include <libpq-fe.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string_view>

namespace herald::pg {

struct PgResultFree {
  void operator()(PGresult* result) const noexcept { PQclear(result); }
};
using PgResult = std::unique_ptr<PGresult, PgResultFree>;

class QueryResult {
 public:
  explicit QueryResult(PgResult result);

  int rows() const;
  int columns() const;
  std::string_view column_name(int column) const;
  // Exact, case-sensitive match on the result's column names (PQfnumber would fold
  // unquoted names to lower case).
  std::optional<int> column_index(std::string_view name) const;

  // The text of a value; "" for NULL (use is_null to tell them apart). Row and column
  // must be in range (asserted).
  std::string_view get(int row, int column) const;
  // By column name; the column must exist (asserted: a wrong name is a bug in herald).
  std::string_view get(int row, std::string_view column) const;
  bool is_null(int row, int column) const;
  std::optional<std::string_view> get_optional(int row, int column) const;

  std::string_view command_status() const;  // "INSERT 0 3", "SELECT 1", ...
  std::uint64_t affected_rows() const;      // from the command tag; 0 when it has none

  const PGresult* native() const { return result_.get(); }

 private:
  PgResult result_;
};

}  // namespace herald::pg
