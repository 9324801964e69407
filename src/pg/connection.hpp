#pragma once
// pg::Connection: the one owner of a PGconn. Move-only; PQfinish on destruction.
// Commands are synchronous (blocking) and return pg::Result: a QueryResult for
// PGRES_COMMAND_OK / TUPLES_OK, a pg::Error with SQLSTATE, detail and hint otherwise.
// Server notices (RAISE NOTICE, warnings) go to spdlog at the matching level.

#include <libpq-fe.h>

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "pg/query_result.hpp"
#include "pg/result.hpp"

namespace herald::pg {

using Param = std::optional<std::string>;  // nullopt is SQL NULL
using Params = std::vector<Param>;

struct ConnectOptions {
  // Adds replication=database: a walsender connection that accepts both SQL and
  // replication commands (IDENTIFY_SYSTEM, START_REPLICATION). Used by ReplicationStream.
  bool replication = false;
  std::string application_name = "herald";  // fallback; the conninfo may override it
  // libpq waits forever for an unreachable host by default; the conninfo may override.
  int connect_timeout_seconds = 10;
};

class Connection {
 public:
  // `conninfo` is anything libpq accepts: "host=... dbname=..." or a postgresql:// URI
  // (an empty string means libpq's defaults and PG* environment variables). The error
  // names host, port, database and user, never the password.
  static Result<Connection> connect(std::string_view conninfo, const ConnectOptions& options = {});

  Connection(Connection&&) noexcept = default;
  Connection& operator=(Connection&&) noexcept = default;
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;
  ~Connection() = default;

  Result<QueryResult> exec(std::string_view sql);
  // Parameters are sent as text, separate from the SQL ($1, $2, ...): no quoting needed.
  Result<QueryResult> exec_params(std::string_view sql, const Params& params);

  bool is_ok() const;  // the connection is open and usable
  // "host=127.0.0.1 port=5432 dbname=app user=herald", for messages.
  std::string describe() const;
  int server_version() const;  // e.g. 150020
  int backend_pid() const;

  // For the pg module's own protocol code (ReplicationStream); never null.
  PGconn* native() const { return conn_.get(); }

 private:
  struct PgConnFinish {
    void operator()(PGconn* conn) const noexcept { PQfinish(conn); }
  };
  using PgConn = std::unique_ptr<PGconn, PgConnFinish>;

  explicit Connection(PgConn conn) : conn_(std::move(conn)) {}
  Result<QueryResult> take_result(PgResult result, std::string_view sql);

  static void on_notice(void* arg, const PGresult* notice) noexcept;

  PgConn conn_;
};

// Where a PGconn points, for messages: "host=... port=... dbname=... user=...".
std::string describe_connection(const PGconn* conn);

}  // namespace herald::pg
