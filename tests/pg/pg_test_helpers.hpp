#pragma once
// Helpers shared by the pg module's integration tests.

#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "pg/connection.hpp"
#include "pg/replication_stream.hpp"

namespace herald::pg::test {

inline Connection connect_or_die(const std::string& url) {
  auto connection = Connection::connect(url);
  if (!connection) {
    ADD_FAILURE() << connection.error().message;
    std::abort();
  }
  return std::move(connection).value();
}

inline ReplicationStream stream_or_die(const std::string& url) {
  auto stream = ReplicationStream::connect(url);
  if (!stream) {
    ADD_FAILURE() << stream.error().message;
    std::abort();
  }
  return std::move(stream).value();
}

// What one transaction looked like on the stream: the first byte (pgoutput message
// type) of every XLogData payload, and the commit's end LSN from its 'C' message.
struct StreamedTransaction {
  std::string types;  // e.g. "BRIIC"
  Lsn commit_end;
  int keepalives = 0;
};

// The end_lsn field of a pgoutput Commit message: 'C', flags, commit lsn, end lsn, time.
inline Lsn commit_end_lsn(std::span<const std::byte> payload) {
  std::uint64_t value = 0;
  for (std::size_t i = 10; i < 18 && i < payload.size(); ++i) {
    value = (value << 8) | std::to_integer<std::uint64_t>(payload[i]);
  }
  return Lsn(value);
}

// Polls until a Commit arrives (or `timeout` passes, which fails the test).
inline StreamedTransaction read_transaction(ReplicationStream& stream,
                                            std::chrono::milliseconds timeout) {
  StreamedTransaction out;
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    auto message = stream.poll(std::chrono::milliseconds(200));
    if (!message) {
      ADD_FAILURE() << message.error().message;
      return out;
    }
    if (!message->has_value()) continue;
    if (std::holds_alternative<PrimaryKeepalive>(**message)) {
      ++out.keepalives;
      continue;
    }
    const auto& data = std::get<XLogData>(**message);
    if (data.payload.empty()) continue;
    const char type = static_cast<char>(data.payload[0]);
    out.types.push_back(type);
    if (type == 'C') {
      out.commit_end = commit_end_lsn(data.payload);
      return out;
    }
  }
  ADD_FAILURE() << "no commit within " << timeout.count() << " ms; saw \"" << out.types << "\"";
  return out;
}

}  // namespace herald::pg::test
