#include "pg/connection.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "pg/conninfo.hpp"
#include "pg/libpq_errors.hpp"

namespace herald::pg {
namespace {

constexpr std::size_t kSqlShownInErrors = 120;

bool contains_nul(std::string_view text) {
  return text.find('\0') != std::string_view::npos;
}

// Errors quote the command so a user can find it, shortened to one readable line.
std::string short_sql(std::string_view sql) {
  std::string line = detail::tidy_libpq_message(sql);
  if (line.size() > kSqlShownInErrors) line = line.substr(0, kSqlShownInErrors - 3) + "...";
  return line;
}

std::string or_default(const char* value, std::string_view fallback) {
  return value == nullptr || *value == '\0' ? std::string(fallback) : std::string(value);
}

}  // namespace

std::string describe_connection(const PGconn* conn) {
  if (conn == nullptr) return "no connection";
  // A PGconn keeps its resolved options even after a failed attempt; an empty host
  // means libpq's default Unix socket directory.
  return fmt::format("host={} port={} dbname={} user={}",
                     or_default(PQhost(conn), "(default socket)"), or_default(PQport(conn), "5432"),
                     or_default(PQdb(conn), "(default)"), or_default(PQuser(conn), "(default)"));
}

Result<Connection> Connection::connect(std::string_view conninfo, const ConnectOptions& options) {
  if (contains_nul(conninfo)) return make_usage_error("connection string contains a NUL byte");
  const std::string dsn(conninfo);
  // expand_dbname = 1: the "dbname" value is parsed as a whole conninfo or URI. Keys
  // before it are defaults it may override; keys after it override what it says.
  const std::string timeout = std::to_string(options.connect_timeout_seconds);
  std::vector<const char*> keys = {"connect_timeout", "dbname", "fallback_application_name"};
  std::vector<const char*> values = {timeout.c_str(), dsn.c_str(),
                                     options.application_name.c_str()};
  // herald reads dates back as ISO 8601 whatever the database's DateStyle. pgoutput writes
  // column values with the walsender session's settings, and the decoder turns ISO dates
  // in UTC into RFC 3339; other sessions keep the database's TimeZone, which the user's
  // SQL functions may rely on. Placed before "dbname" so that an `options` in the user's
  // conninfo still wins.
  keys.insert(keys.begin(), "options");
  values.insert(values.begin(),
                options.replication ? "-c datestyle=ISO -c timezone=UTC" : "-c datestyle=ISO");
  if (options.replication) {
    keys.push_back("replication");
    values.push_back("database");
  }
  keys.push_back(nullptr);
  values.push_back(nullptr);

  PgConn conn(PQconnectdbParams(keys.data(), values.data(), 1));
  if (!conn) return make_usage_error("cannot connect to PostgreSQL: libpq is out of memory");
  if (PQstatus(conn.get()) != CONNECTION_OK) {
    Error error;
    error.kind = ErrorKind::Connection;
    error.primary = redact_passwords(detail::tidy_libpq_message(PQerrorMessage(conn.get())), dsn);
    error.message =
        fmt::format("cannot connect to PostgreSQL ({}): {}",
                    redact_passwords(describe_connection(conn.get()), dsn), error.primary);
    return error;
  }
  PQsetNoticeReceiver(conn.get(), &Connection::on_notice, nullptr);
  return Connection(std::move(conn));
}

void Connection::on_notice(void* /*arg*/, const PGresult* notice) noexcept {
  try {
    const char* severity = PQresultErrorField(notice, PG_DIAG_SEVERITY_NONLOCALIZED);
    const char* primary = PQresultErrorField(notice, PG_DIAG_MESSAGE_PRIMARY);
    const std::string_view level = severity == nullptr ? "NOTICE" : severity;
    const std::string text =
        detail::tidy_libpq_message(primary != nullptr ? primary : PQresultErrorMessage(notice));
    if (level == "WARNING") {
      spdlog::warn("PostgreSQL {}: {}", level, text);
    } else if (level == "DEBUG" || level == "LOG") {
      spdlog::debug("PostgreSQL {}: {}", level, text);
    } else {
      spdlog::info("PostgreSQL {}: {}", level, text);
    }
  } catch (...) {
    // A logging failure must not unwind into libpq.
  }
}

Result<QueryResult> Connection::exec(std::string_view sql) {
  if (contains_nul(sql)) return make_usage_error("SQL text contains a NUL byte: " + short_sql(sql));
  const std::string text(sql);
  return take_result(PgResult(PQexec(conn_.get(), text.c_str())), sql);
}

Result<QueryResult> Connection::exec_params(std::string_view sql, const Params& params) {
  if (contains_nul(sql)) return make_usage_error("SQL text contains a NUL byte: " + short_sql(sql));
  std::vector<const char*> values;
  values.reserve(params.size());
  for (std::size_t i = 0; i < params.size(); ++i) {
    if (params[i] && contains_nul(*params[i])) {
      return make_usage_error(
          fmt::format("parameter ${} contains a NUL byte: {}", i + 1, short_sql(sql)));
    }
    values.push_back(params[i] ? params[i]->c_str() : nullptr);
  }
  const std::string text(sql);
  PgResult result(PQexecParams(conn_.get(), text.c_str(), static_cast<int>(values.size()), nullptr,
                               values.data(), nullptr, nullptr, 0));
  return take_result(std::move(result), sql);
}

Result<QueryResult> Connection::take_result(PgResult result, std::string_view sql) {
  const std::string context = "query failed: " + short_sql(sql);
  if (!result) return detail::error_from_connection(conn_.get(), context);
  switch (PQresultStatus(result.get())) {
    case PGRES_COMMAND_OK:
    case PGRES_TUPLES_OK:
      return QueryResult(std::move(result));
    case PGRES_COPY_IN:
    case PGRES_COPY_OUT:
    case PGRES_COPY_BOTH:
      return make_protocol_error(context +
                                 ": the command started COPY, which exec does not handle");
    default:
      return detail::error_from_result(result.get(), conn_.get(), context);
  }
}

bool Connection::is_ok() const {
  return conn_ && PQstatus(conn_.get()) == CONNECTION_OK;
}
std::string Connection::describe() const {
  return describe_connection(conn_.get());
}
int Connection::server_version() const {
  return PQserverVersion(conn_.get());
}
int Connection::backend_pid() const {
  return PQbackendPID(conn_.get());
}

}  // namespace herald::pg
