#pragma once
// A libpq connection a test keeps open: for interleaving statements of several open
// transactions, and for writer threads making thousands of commits (pg_exec connects per
// call, which is too slow for that).

#include <libpq-fe.h>

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "support/pg_client.hpp"

namespace herald::testing {

class PgSession {
 public:
  // Throws std::runtime_error when it cannot connect.
  explicit PgSession(const std::string& url);

  // Runs `sql`; the rows of the last statement. Throws std::runtime_error on failure.
  PgRows exec(std::string_view sql);
  // Runs `sql`; the error message on failure (connection lost included), nullopt on success.
  std::optional<std::string> try_exec(std::string_view sql);
  // The first column of the first row of `sql`.
  std::optional<std::string> scalar(std::string_view sql);

  // False once the server has gone away.
  bool connected() const;
  // Connects again (after a server restart); false when it cannot yet.
  bool reconnect();

 private:
  using ConnectionPtr = std::unique_ptr<PGconn, decltype(&PQfinish)>;

  std::string url_;
  ConnectionPtr connection_;
};

}  // namespace herald::testing
