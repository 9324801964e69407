#pragma once
// The messages of the streaming replication protocol inside COPY BOTH (PostgreSQL
// docs, "Streaming Replication Protocol"): XLogData 'w' and primary keepalive 'k'
// from the server, standby status update 'r' from the client. Integers are big-endian;
// times are microseconds since 2000-01-01 00:00 UTC. Pure functions, no libpq.

#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string_view>
#include <variant>

#include "common/result.hpp"
#include "pg/lsn.hpp"

namespace herald::pg {

// PostgreSQL's timestamp epoch (2000-01-01) as seen from the Unix epoch.
inline constexpr std::chrono::seconds kPostgresEpochOffset{946'684'800};

using PgTimestamp = std::int64_t;  // microseconds since 2000-01-01 UTC
PgTimestamp to_pg_timestamp(std::chrono::system_clock::time_point time);
std::chrono::system_clock::time_point from_pg_timestamp(PgTimestamp micros);

// Owns a buffer that PQgetCopyData allocated; freed with PQfreemem. Messages point
// into it instead of copying the WAL payload.
struct CopyBufferFree {
  void operator()(char* buffer) const noexcept;
};
using CopyBuffer = std::unique_ptr<char, CopyBufferFree>;

struct XLogData {
  Lsn wal_start;                       // WAL position of the payload's start
  Lsn wal_end;                         // the server's current end of WAL
  PgTimestamp server_time;             // when the server sent it
  std::span<const std::byte> payload;  // one pgoutput message; valid while this lives
  CopyBuffer buffer;  // owns the bytes `payload` points into (empty when parsed from a span)
};

struct PrimaryKeepalive {
  Lsn wal_end;
  PgTimestamp server_time;
  bool reply_requested = false;
};

using ReplicationMessage = std::variant<XLogData, PrimaryKeepalive>;

// Decodes one CopyData body from the server. The span must stay valid as long as the
// returned XLogData's payload is used (parse() does not take ownership).
herald::Result<ReplicationMessage> parse_replication_message(std::span<const std::byte> bytes);

inline constexpr std::size_t kStandbyStatusSize = 34;  // 'r' + 4 x int64 + bool
using StandbyStatusBytes = std::array<std::byte, kStandbyStatusSize>;

// 'r', written, flushed, applied, client time, reply-requested flag.
StandbyStatusBytes encode_standby_status(Lsn write, Lsn flush, Lsn apply, PgTimestamp now,
                                         bool reply_requested);

}  // namespace herald::pg
