#pragma once
// WAL positions as PostgreSQL prints them: two 32-bit hex halves, "16/B374D848". The one
// spelling for pg::Lsn (the libpq side) and capture's plain integers (the decoder side).

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace herald {

std::string format_lsn(std::uint64_t lsn);

// Accepts what PostgreSQL accepts for pg_lsn: 1-8 hex digits, '/', 1-8 hex digits, either
// case. Anything else (spaces, signs, empty halves) is nullopt.
std::optional<std::uint64_t> parse_lsn(std::string_view text);

}  // namespace herald
