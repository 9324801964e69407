#include "support/pg_client.hpp"

#include <libpq-fe.h>

#include <memory>
#include <stdexcept>

#include <fmt/format.h>

namespace herald::testing {

namespace {

using ConnectionPtr = std::unique_ptr<PGconn, decltype(&PQfinish)>;
using ResultPtr = std::unique_ptr<PGresult, decltype(&PQclear)>;

ConnectionPtr connect(const std::string& url) {
  ConnectionPtr connection(PQconnectdb(url.c_str()), &PQfinish);
  if (connection == nullptr) throw std::runtime_error("libpq: out of memory");
  return connection;
}

}  // namespace

PgRows pg_exec(const std::string& url, std::string_view sql) {
  ConnectionPtr connection = connect(url);
  if (PQstatus(connection.get()) != CONNECTION_OK) {
    throw std::runtime_error(
        fmt::format("cannot connect to {}: {}", url, PQerrorMessage(connection.get())));
  }
  const std::string statement(sql);
  ResultPtr result(PQexec(connection.get(), statement.c_str()), &PQclear);
  const ExecStatusType status = PQresultStatus(result.get());
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
    throw std::runtime_error(fmt::format("SQL failed on {}: {}\n  statement: {}", url,
                                         PQerrorMessage(connection.get()), statement));
  }
  PgRows rows;
  const int row_count = PQntuples(result.get());
  const int column_count = PQnfields(result.get());
  for (int row = 0; row < row_count; ++row) {
    PgRow values;
    for (int column = 0; column < column_count; ++column) {
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

std::optional<std::string> pg_scalar(const std::string& url, std::string_view sql) {
  PgRows rows = pg_exec(url, sql);
  if (rows.empty() || rows.front().empty()) return std::nullopt;
  return rows.front().front();
}

bool pg_can_connect(const std::string& url) {
  ConnectionPtr connection = connect(url);
  return PQstatus(connection.get()) == CONNECTION_OK;
}

std::string pg_quote_ident(std::string_view name) {
  std::string quoted = "\"";
  for (char c : name) quoted += (c == '"') ? std::string("\"\"") : std::string(1, c);
  return quoted + "\"";
}

std::string pg_quote_literal(std::string_view value) {
  std::string quoted = "'";
  for (char c : value) quoted += (c == '\'') ? std::string("''") : std::string(1, c);
  return quoted + "'";
}

}  // namespace herald::testing
