#pragma once
// pg::ReplicationStream: a walsender connection (replication=database) reading a
// logical slot with pgoutput in COPY BOTH mode.
//
//   auto stream = ReplicationStream::connect(conninfo);
//   stream->start("herald", Lsn(), {.publication_names = {"herald"}});
//   while (running) {
//     auto message = stream->poll(500ms);        // XLogData, PrimaryKeepalive or nothing
//     ... decode XLogData::payload ...
//     stream->confirm(settled_lsn);              // reported with the next status update
//   }
//   stream->stop();
//
// poll() keeps the stream alive by itself: it answers keepalives that ask for a reply
// and sends a standby status update at least every `status_interval`, always
// reporting as flushed only what the caller confirmed (the slot must never move past
// an unsettled event). Any error ends the stream; reconnect with a new one (Backoff).

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "pg/connection.hpp"
#include "pg/lsn.hpp"
#include "pg/replication_messages.hpp"

namespace herald::pg {

struct SystemIdentity {
  std::string system_id;  // the cluster's unique identifier
  int timeline = 0;
  Lsn xlog_position;  // current WAL flush position
  std::string database;
};

struct StartOptions {
  std::vector<std::string> publication_names;
  int proto_version = 1;
  bool messages = true;  // also stream pg_logical_emit_message() ('M' messages)
  std::chrono::milliseconds status_interval{10'000};
};

class ReplicationStream {
 public:
  using Clock = std::chrono::steady_clock;

  // Connects with replication=database added to `conninfo`.
  static Result<ReplicationStream> connect(std::string_view conninfo);

  ReplicationStream(ReplicationStream&& other) noexcept;
  ReplicationStream& operator=(ReplicationStream&& other) noexcept;
  ReplicationStream(const ReplicationStream&) = delete;
  ReplicationStream& operator=(const ReplicationStream&) = delete;
  ~ReplicationStream();

  Result<SystemIdentity> identify_system();

  // START_REPLICATION SLOT slot LOGICAL start_lsn (...). Lsn() (0/0) means "from the
  // slot's confirmed position". A slot used by another process fails with SQLSTATE
  // 55006, a missing slot with 42704.
  Result<void> start(std::string_view slot, Lsn start_lsn, const StartOptions& options);

  // The next message, or nullopt when `timeout` passes without one. Never blocks
  // longer than `timeout`. Keepalives that request a reply are answered before they
  // are returned.
  Result<std::optional<ReplicationMessage>> poll(std::chrono::milliseconds timeout);

  // Everything up to `flushed` is settled: it will be reported as flushed and applied
  // with the next status update (periodic, or the answer to a keepalive). Positions
  // only move forward; a smaller LSN is ignored.
  void confirm(Lsn flushed);

  // Sends a standby status update now. Each position is raised to what was already
  // reported, so the server never sees one move backwards.
  Result<void> send_status(Lsn write, Lsn flush, Lsn apply, bool reply_requested = false);
  // Sends the tracked positions now (e.g. right after confirm(), at shutdown).
  Result<void> send_status_now(bool reply_requested = false);

  // Ends COPY BOTH (CopyDone) and waits up to `timeout` for the server to finish.
  Result<void> stop(std::chrono::milliseconds timeout = std::chrono::milliseconds(5000));

  bool is_streaming() const { return streaming_; }
  // Everything before this position has reached us: the start of the last XLogData,
  // or the WAL end a keepalive announced. A caller with nothing unsettled may confirm
  // up to it, so WAL other databases write does not pile up behind an idle slot.
  Lsn last_received() const { return received_; }
  Lsn confirmed() const { return flushed_; }
  Connection& connection() { return connection_; }

 private:
  explicit ReplicationStream(Connection connection) : connection_(std::move(connection)) {}

  Result<void> send_bytes(const StandbyStatusBytes& bytes);
  Result<void> send_periodic_status_if_due();
  Result<std::optional<ReplicationMessage>> read_available();
  Result<void> wait_readable(Clock::time_point until);
  Result<void> wait_until_result_ready(Clock::time_point until);
  // Reads the results that follow the end of COPY BOTH; the first error among them.
  std::optional<Error> drain_results(Clock::time_point until, const std::string& context);
  Error end_of_copy_error();
  Error fail(Error error);
  void end_copy_quietly() noexcept;

  Connection connection_;
  std::string slot_;
  bool streaming_ = false;
  std::chrono::milliseconds status_interval_{10'000};
  Clock::time_point last_status_{};
  Lsn received_;  // see last_received()
  Lsn written_;   // the highest write position reported
  Lsn flushed_;   // confirmed by the caller
  Lsn applied_;
};

}  // namespace herald::pg
