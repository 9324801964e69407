#pragma once
// WAL positions. PostgreSQL prints an LSN as two 32-bit hex halves: "0/1A2B3C4".

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace herald::capture {

using Lsn = std::uint64_t;

std::string format_lsn(Lsn lsn);
std::optional<Lsn> parse_lsn(std::string_view text);

}  // namespace herald::capture
