#pragma once
// WAL positions in the decoder: plain 64-bit integers, printed as PostgreSQL prints them
// ("0/1A2B3C4") by herald::format_lsn.

#include <cstdint>

#include "common/lsn_text.hpp"

namespace herald::capture {

using Lsn = std::uint64_t;
using herald::format_lsn;
using herald::parse_lsn;

}  // namespace herald::capture
