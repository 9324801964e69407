#include "pg/replication_stream.hpp"

#include <poll.h>

#include <fmt/format.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstdlib>
#include <cstring>
#include <utility>

#include "pg/libpq_errors.hpp"
#include "pg/quote.hpp"
#include "pg/slots.hpp"

namespace herald::pg {
namespace {

std::string join_publication_names(const std::vector<std::string>& names) {
  // pgoutput splits this list like an identifier list: quote each name so case and
  // punctuation survive, then the whole list becomes one string literal.
  std::string joined;
  for (const std::string& name : names) {
    if (!joined.empty()) joined += ',';
    joined += quote_ident(name);
  }
  return joined;
}

Lsn parse_lsn_or_zero(std::string_view text) {
  return Lsn::parse(text).value_or(Lsn());
}

}  // namespace

Result<ReplicationStream> ReplicationStream::connect(std::string_view conninfo) {
  ConnectOptions options;
  options.replication = true;
  auto connection = Connection::connect(conninfo, options);
  if (!connection) return connection.error();
  return ReplicationStream(std::move(connection).value());
}

ReplicationStream::ReplicationStream(ReplicationStream&& other) noexcept
    : connection_(std::move(other.connection_)),
      slot_(std::move(other.slot_)),
      streaming_(std::exchange(other.streaming_, false)),
      status_interval_(other.status_interval_),
      last_status_(other.last_status_),
      received_(other.received_),
      written_(other.written_),
      flushed_(other.flushed_),
      applied_(other.applied_) {}

ReplicationStream& ReplicationStream::operator=(ReplicationStream&& other) noexcept {
  if (this != &other) {
    end_copy_quietly();
    connection_ = std::move(other.connection_);
    slot_ = std::move(other.slot_);
    streaming_ = std::exchange(other.streaming_, false);
    status_interval_ = other.status_interval_;
    last_status_ = other.last_status_;
    received_ = other.received_;
    written_ = other.written_;
    flushed_ = other.flushed_;
    applied_ = other.applied_;
  }
  return *this;
}

ReplicationStream::~ReplicationStream() {
  end_copy_quietly();
}

void ReplicationStream::end_copy_quietly() noexcept {
  // Without waiting: the server also ends the walsender when the socket closes.
  if (streaming_ && connection_.native() != nullptr) {
    PQputCopyEnd(connection_.native(), nullptr);
    PQflush(connection_.native());
  }
  streaming_ = false;
}

Result<SystemIdentity> ReplicationStream::identify_system() {
  auto rows = connection_.exec("IDENTIFY_SYSTEM");
  if (!rows) return rows.error();
  if (rows->rows() != 1 || rows->columns() < 4) {
    return make_protocol_error(fmt::format("IDENTIFY_SYSTEM returned {} rows of {} columns",
                                           rows->rows(), rows->columns()));
  }
  SystemIdentity identity;
  identity.system_id = rows->get(0, 0);
  identity.timeline = std::atoi(std::string(rows->get(0, 1)).c_str());
  identity.xlog_position = parse_lsn_or_zero(rows->get(0, 2));
  identity.database = rows->get(0, 3);
  return identity;
}

Result<void> ReplicationStream::start(std::string_view slot, Lsn start_lsn,
                                      const StartOptions& options) {
  if (streaming_) return make_usage_error("the replication stream is already started");
  if (auto valid = validate_slot_name(slot); !valid) return valid.error();
  if (options.publication_names.empty()) {
    return make_usage_error("START_REPLICATION needs at least one publication name");
  }
  const std::string command = fmt::format(
      "START_REPLICATION SLOT {} LOGICAL {} (proto_version '{}', publication_names {}, "
      "messages '{}')",
      slot, start_lsn.to_string(), options.proto_version,
      quote_literal(join_publication_names(options.publication_names)),
      options.messages ? "true" : "false");
  const std::string context =
      fmt::format("cannot stream from replication slot \"{}\" ({})", slot, connection_.describe());
  PgResult result(PQexec(connection_.native(), command.c_str()));
  if (!result) return detail::error_from_connection(connection_.native(), context);
  if (PQresultStatus(result.get()) != PGRES_COPY_BOTH) {
    if (PQresultStatus(result.get()) == PGRES_FATAL_ERROR) {
      return detail::error_from_result(result.get(), connection_.native(), context);
    }
    return make_protocol_error(fmt::format("{}: expected COPY BOTH, got {}", context,
                                           PQresStatus(PQresultStatus(result.get()))));
  }
  slot_ = std::string(slot);
  streaming_ = true;
  status_interval_ = std::max(options.status_interval, std::chrono::milliseconds(1));
  last_status_ = Clock::now();
  received_ = std::max(received_, start_lsn);
  flushed_ = std::max(flushed_, start_lsn);
  applied_ = std::max(applied_, start_lsn);
  return {};
}

Result<std::optional<ReplicationMessage>> ReplicationStream::poll(
    std::chrono::milliseconds timeout) {
  if (!streaming_) return make_usage_error("poll: the replication stream is not started");
  const auto deadline = Clock::now() + timeout;
  // At the deadline, one last look at the socket without waiting: what the server has
  // already sent is not "nothing" (libpq reads the socket only when asked to), or a caller
  // polling with no timeout would see a stream in full flow as dry.
  bool looked = false;
  while (true) {
    if (auto sent = send_periodic_status_if_due(); !sent) return fail(sent.error());
    auto message = read_available();
    if (!message || message->has_value()) return message;
    if (Clock::now() >= deadline) {
      if (looked) return std::optional<ReplicationMessage>();
      looked = true;
    }
    if (auto waited = wait_readable(std::min(deadline, last_status_ + status_interval_)); !waited) {
      return fail(waited.error());
    }
  }
}

Result<std::optional<ReplicationMessage>> ReplicationStream::read_available() {
  char* raw = nullptr;
  const int length = PQgetCopyData(connection_.native(), &raw, 1);
  if (length == 0) return std::optional<ReplicationMessage>();
  if (length == -1) return fail(end_of_copy_error());
  if (length < 0 || raw == nullptr) {
    return fail(detail::error_from_connection(
        connection_.native(),
        fmt::format("reading replication slot \"{}\" ({})", slot_, connection_.describe())));
  }
  CopyBuffer buffer(raw);
  const std::span<const std::byte> bytes(reinterpret_cast<const std::byte*>(raw),
                                         static_cast<std::size_t>(length));
  auto parsed = parse_replication_message(bytes);
  if (!parsed) return fail(make_protocol_error("replication stream: " + parsed.error().message));
  ReplicationMessage message = std::move(parsed).value();
  if (auto* data = std::get_if<XLogData>(&message)) {
    data->buffer = std::move(buffer);
    received_ = std::max(received_, data->wal_start);
  } else if (auto* keepalive = std::get_if<PrimaryKeepalive>(&message)) {
    received_ = std::max(received_, keepalive->wal_end);
    if (keepalive->reply_requested) {
      if (auto sent = send_status_now(); !sent) return fail(sent.error());
    }
  }
  return std::optional<ReplicationMessage>(std::move(message));
}

Result<void> ReplicationStream::wait_readable(Clock::time_point until) {
  const int socket = PQsocket(connection_.native());
  if (socket < 0) {
    return detail::error_from_connection(connection_.native(), "replication stream has no socket");
  }
  const auto left = std::chrono::ceil<std::chrono::milliseconds>(until - Clock::now()).count();
  pollfd entry{};
  entry.fd = socket;
  entry.events = POLLIN;
  const int ready = ::poll(&entry, 1, static_cast<int>(std::clamp<long long>(left, 0, INT_MAX)));
  if (ready < 0 && errno != EINTR) {
    return make_protocol_error(
        fmt::format("waiting on the replication socket: {}", std::strerror(errno)));
  }
  if (ready > 0 && PQconsumeInput(connection_.native()) == 0) {
    return detail::error_from_connection(
        connection_.native(),
        fmt::format("reading replication slot \"{}\" ({})", slot_, connection_.describe()));
  }
  return {};
}

Result<void> ReplicationStream::wait_until_result_ready(Clock::time_point until) {
  while (PQisBusy(connection_.native()) != 0) {
    if (Clock::now() >= until) {
      return make_protocol_error("timed out waiting for the server to end the replication stream");
    }
    if (auto waited = wait_readable(until); !waited) return waited;
  }
  return {};
}

std::optional<Error> ReplicationStream::drain_results(Clock::time_point until,
                                                      const std::string& context) {
  std::optional<Error> first_error;
  // Bounded: a confused peer must not keep this loop going.
  for (int round = 0; round < 16; ++round) {
    if (auto ready = wait_until_result_ready(until); !ready) return ready.error();
    PgResult result(PQgetResult(connection_.native()));
    if (!result) return first_error;
    switch (PQresultStatus(result.get())) {
      case PGRES_COPY_IN:
        // The server finished its half of COPY BOTH (CopyDone); finish ours so libpq
        // reads on to the server's CommandComplete or error.
        if (PQputCopyEnd(connection_.native(), nullptr) != 1 ||
            PQflush(connection_.native()) != 0) {
          return detail::error_from_connection(connection_.native(), context);
        }
        break;
      case PGRES_FATAL_ERROR:
        if (!first_error) {
          first_error = detail::error_from_result(result.get(), connection_.native(), context);
        }
        break;
      default:
        break;
    }
  }
  return make_protocol_error(context + ": the server keeps sending results after the stream ended");
}

Error ReplicationStream::end_of_copy_error() {
  const std::string context = fmt::format(
      "the server ended the stream of replication slot \"{}\" ({})", slot_, connection_.describe());
  // The server said CopyDone or sent an error; its reason follows as a result. Wait
  // briefly for it without blocking forever on a half-dead socket.
  if (auto error = drain_results(Clock::now() + std::chrono::seconds(5), context)) return *error;
  Error ended = make_protocol_error(context);
  ended.kind = ErrorKind::Connection;
  return ended;
}

Error ReplicationStream::fail(Error error) {
  streaming_ = false;
  return error;
}

Result<void> ReplicationStream::send_bytes(const StandbyStatusBytes& bytes) {
  const std::string context =
      fmt::format("sending a status update for slot \"{}\" ({})", slot_, connection_.describe());
  if (PQputCopyData(connection_.native(), reinterpret_cast<const char*>(bytes.data()),
                    static_cast<int>(bytes.size())) != 1 ||
      PQflush(connection_.native()) != 0) {
    return detail::error_from_connection(connection_.native(), context);
  }
  last_status_ = Clock::now();
  return {};
}

void ReplicationStream::confirm(Lsn flushed) {
  flushed_ = std::max(flushed_, flushed);
  applied_ = std::max(applied_, flushed);
}

Result<void> ReplicationStream::send_status(Lsn write, Lsn flush, Lsn apply, bool reply_requested) {
  if (!streaming_) return make_usage_error("send_status: the replication stream is not started");
  flushed_ = std::max(flushed_, flush);
  applied_ = std::max(applied_, apply);
  // Nothing can be flushed that was not written first.
  written_ = std::max({written_, write, received_, flushed_, applied_});
  const auto bytes =
      encode_standby_status(written_, flushed_, applied_,
                            to_pg_timestamp(std::chrono::system_clock::now()), reply_requested);
  return send_bytes(bytes);
}

Result<void> ReplicationStream::send_status_now(bool reply_requested) {
  return send_status(received_, flushed_, applied_, reply_requested);
}

Result<void> ReplicationStream::send_periodic_status_if_due() {
  if (Clock::now() - last_status_ < status_interval_) return {};
  return send_status_now();
}

Result<void> ReplicationStream::stop(std::chrono::milliseconds timeout) {
  if (!streaming_) return {};
  const auto until = Clock::now() + timeout;
  // Report the final positions first so the slot keeps what was confirmed.
  auto reported = send_status_now();
  streaming_ = false;
  if (!reported) return reported;
  const std::string context = fmt::format("ending the stream of replication slot \"{}\" ({})",
                                          slot_, connection_.describe());
  if (PQputCopyEnd(connection_.native(), nullptr) != 1 || PQflush(connection_.native()) != 0) {
    return detail::error_from_connection(connection_.native(), context);
  }
  // Data the server sent before it saw CopyDone is dropped: it was not confirmed, so
  // the slot will send it again.
  while (true) {
    char* raw = nullptr;
    const int length = PQgetCopyData(connection_.native(), &raw, 1);
    CopyBuffer discarded(raw);
    if (length == -1) break;
    if (length == -2) return detail::error_from_connection(connection_.native(), context);
    if (length == 0) {
      if (Clock::now() >= until) {
        return make_protocol_error(context + ": timed out waiting for the server's CopyDone");
      }
      if (auto waited = wait_readable(until); !waited) return waited;
    }
  }
  if (auto error = drain_results(until, context)) return *std::move(error);
  return {};
}

}  // namespace herald::pg
