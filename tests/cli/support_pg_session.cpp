#include "cli/support_pg_session.hpp"

#include <stdexcept>

#include <fmt/format.h>

namespace herald::testing {
namespace {

using ResultPtr = std::unique_ptr<PGresult, decltype(&PQclear)>;

}  // namespace

PgSession::PgSession(const std::string& url)
    : url_(url), connection_(PQconnectdb(url.c_str()), &PQfinish) {
  if (!connected()) {
    throw std::runtime_error(
        fmt::format("cannot connect to {}: {}", url,
                    connection_ ? PQerrorMessage(connection_.get()) : "no memory"));
  }
}

bool PgSession::connected() const {
  return connection_ && PQstatus(connection_.get()) == CONNECTION_OK;
}

bool PgSession::reconnect() {
  connection_.reset(PQconnectdb(url_.c_str()));
  return connected();
}

std::optional<std::string> PgSession::try_exec(std::string_view sql) {
  const std::string statement(sql);
  ResultPtr result(PQexec(connection_.get(), statement.c_str()), &PQclear);
  const ExecStatusType status = PQresultStatus(result.get());
  if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK) return std::nullopt;
  return std::string(PQerrorMessage(connection_.get()));
}

PgRows PgSession::exec(std::string_view sql) {
  const std::string statement(sql);
  ResultPtr result(PQexec(connection_.get(), statement.c_str()), &PQclear);
  const ExecStatusType status = PQresultStatus(result.get());
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
    throw std::runtime_error(fmt::format("SQL failed: {}\n  statement: {}",
                                         PQerrorMessage(connection_.get()), statement));
  }
  PgRows rows;
  for (int row = 0; row < PQntuples(result.get()); ++row) {
    PgRow values;
    for (int column = 0; column < PQnfields(result.get()); ++column) {
      if (PQgetisnull(result.get(), row, column) != 0) {
        values.emplace_back(std::nullopt);
      } else {
        values.emplace_back(PQgetvalue(result.get(), row, column));
      }
    }
    rows.push_back(std::move(values));
  }
  return rows;
}

std::optional<std::string> PgSession::scalar(std::string_view sql) {
  PgRows rows = exec(sql);
  if (rows.empty() || rows.front().empty()) return std::nullopt;
  return rows.front().front();
}

}  // namespace herald::testing
