#pragma once
// Just enough libpq for the test support itself: run SQL on a server and read back text.
// Tests that exercise herald's own pg module use that module instead.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace herald::testing {

// One row as text; NULL is nullopt.
using PgRow = std::vector<std::optional<std::string>>;
using PgRows = std::vector<PgRow>;

// Connects to `url`, runs `sql` (several statements allowed; the last one's rows are
// returned) and disconnects. Throws std::runtime_error with the server's message on
// failure.
PgRows pg_exec(const std::string& url, std::string_view sql);

// The first column of the first row, nullopt when there is no row or it is NULL.
std::optional<std::string> pg_scalar(const std::string& url, std::string_view sql);

// True when a connection to `url` succeeds right now.
bool pg_can_connect(const std::string& url);

// `name` as an SQL identifier (double-quoted, quotes doubled).
std::string pg_quote_ident(std::string_view name);

// `value` as an SQL string literal (single-quoted, quotes doubled).
std::string pg_quote_literal(std::string_view value);

}  // namespace herald::testing
