#include "pg/replication_messages.hpp"

#include <libpq-fe.h>

#include <fmt/format.h>

namespace herald::pg {
namespace {

constexpr std::size_t kXLogDataHeader = 1 + 8 + 8 + 8;
constexpr std::size_t kKeepaliveSize = 1 + 8 + 8 + 1;

std::uint64_t read_u64(std::span<const std::byte> bytes, std::size_t at) {
  std::uint64_t value = 0;
  for (std::size_t i = 0; i < 8; ++i) {
    value = (value << 8) | std::to_integer<std::uint64_t>(bytes[at + i]);
  }
  return value;
}

void write_u64(StandbyStatusBytes& out, std::size_t at, std::uint64_t value) {
  for (std::size_t i = 0; i < 8; ++i) {
    out[at + i] = static_cast<std::byte>(value >> (56 - 8 * i));
  }
}

}  // namespace

void CopyBufferFree::operator()(char* buffer) const noexcept {
  PQfreemem(buffer);
}

PgTimestamp to_pg_timestamp(std::chrono::system_clock::time_point time) {
  const auto since_unix =
      std::chrono::duration_cast<std::chrono::microseconds>(time.time_since_epoch());
  return (since_unix - kPostgresEpochOffset).count();
}

std::chrono::system_clock::time_point from_pg_timestamp(PgTimestamp micros) {
  const auto since_unix = std::chrono::microseconds(micros) + kPostgresEpochOffset;
  return std::chrono::system_clock::time_point(
      std::chrono::duration_cast<std::chrono::system_clock::duration>(since_unix));
}

herald::Result<ReplicationMessage> parse_replication_message(std::span<const std::byte> bytes) {
  if (bytes.empty()) return herald::make_error("empty CopyData message on the replication stream");
  const char tag = static_cast<char>(bytes[0]);
  if (tag == 'w') {
    if (bytes.size() < kXLogDataHeader) {
      return herald::make_error(fmt::format(
          "XLogData message of {} bytes is shorter than its 25-byte header", bytes.size()));
    }
    XLogData data;
    data.wal_start = Lsn(read_u64(bytes, 1));
    data.wal_end = Lsn(read_u64(bytes, 9));
    data.server_time = static_cast<PgTimestamp>(read_u64(bytes, 17));
    data.payload = bytes.subspan(kXLogDataHeader);
    return ReplicationMessage(std::move(data));
  }
  if (tag == 'k') {
    if (bytes.size() != kKeepaliveSize) {
      return herald::make_error(fmt::format("primary keepalive message of {} bytes, expected {}",
                                            bytes.size(), kKeepaliveSize));
    }
    PrimaryKeepalive keepalive;
    keepalive.wal_end = Lsn(read_u64(bytes, 1));
    keepalive.server_time = static_cast<PgTimestamp>(read_u64(bytes, 9));
    keepalive.reply_requested = bytes[17] != std::byte{0};
    return ReplicationMessage(keepalive);
  }
  return herald::make_error(fmt::format("unknown replication message type 0x{:02x} ({} bytes)",
                                        static_cast<unsigned char>(tag), bytes.size()));
}

StandbyStatusBytes encode_standby_status(Lsn write, Lsn flush, Lsn apply, PgTimestamp now,
                                         bool reply_requested) {
  StandbyStatusBytes out{};
  out[0] = std::byte{'r'};
  write_u64(out, 1, write.value());
  write_u64(out, 9, flush.value());
  write_u64(out, 17, apply.value());
  write_u64(out, 25, static_cast<std::uint64_t>(now));
  out[33] = reply_requested ? std::byte{1} : std::byte{0};
  return out;
}

}  // namespace herald::pg
