#include "pg/error.hpp"

#include <fmt/format.h>

#include "pg/libpq_errors.hpp"

namespace herald::pg {

Error make_usage_error(std::string message) {
  Error error;
  error.kind = ErrorKind::Usage;
  error.message = std::move(message);
  return error;
}

Error make_protocol_error(std::string message) {
  Error error;
  error.kind = ErrorKind::Protocol;
  error.message = std::move(message);
  return error;
}

namespace detail {

std::string tidy_libpq_message(std::string_view message) {
  std::string out;
  out.reserve(message.size());
  for (char c : message) {
    if (c == '\n' || c == '\r' || c == '\t') {
      if (!out.empty() && out.back() != ' ') out.push_back(' ');
    } else {
      out.push_back(c);
    }
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

namespace {

std::string field(const PGresult* result, int code) {
  const char* value = result == nullptr ? nullptr : PQresultErrorField(result, code);
  return value == nullptr ? std::string() : std::string(value);
}

bool connection_broken(const PGconn* conn) {
  return conn == nullptr || PQstatus(conn) == CONNECTION_BAD;
}

}  // namespace

Error error_from_result(const PGresult* result, const PGconn* conn, std::string_view context) {
  Error error;
  error.sqlstate = field(result, PG_DIAG_SQLSTATE);
  error.primary = field(result, PG_DIAG_MESSAGE_PRIMARY);
  error.detail = field(result, PG_DIAG_MESSAGE_DETAIL);
  error.hint = field(result, PG_DIAG_MESSAGE_HINT);
  if (error.primary.empty()) {
    const char* text = result == nullptr ? nullptr : PQresultErrorMessage(result);
    error.primary = tidy_libpq_message(text != nullptr && *text != '\0' ? text
                                       : conn != nullptr                ? PQerrorMessage(conn)
                                                         : "no result from the server");
  }
  // libpq synthesises results without a SQLSTATE when the socket dies; the server's
  // own shutdown errors (57P01 ...) also leave the connection unusable.
  const bool operator_intervention = error.sqlstate.rfind("57P", 0) == 0;
  error.kind =
      connection_broken(conn) || operator_intervention ? ErrorKind::Connection : ErrorKind::Server;
  error.message = fmt::format("{}: {}", context, error.primary);
  if (!error.sqlstate.empty()) error.message += fmt::format(" (SQLSTATE {})", error.sqlstate);
  if (!error.detail.empty()) error.message += fmt::format("; detail: {}", error.detail);
  if (!error.hint.empty()) error.message += fmt::format("; hint: {}", error.hint);
  return error;
}

Error error_from_connection(const PGconn* conn, std::string_view context) {
  Error error;
  error.kind = connection_broken(conn) ? ErrorKind::Connection : ErrorKind::Protocol;
  error.primary = tidy_libpq_message(conn == nullptr ? "no connection" : PQerrorMessage(conn));
  if (error.primary.empty()) error.primary = "unknown libpq error";
  error.message = fmt::format("{}: {}", context, error.primary);
  return error;
}

}  // namespace detail
}  // namespace herald::pg
