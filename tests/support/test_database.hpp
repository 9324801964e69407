#pragma once
// A fresh, uniquely named database for one test on a (usually shared) PostgresServer,
// dropped afterwards, so tests in one process do not see each other's tables.

#include <optional>
#include <string>
#include <string_view>

#include "support/pg_client.hpp"
#include "support/postgres_server.hpp"

namespace herald::testing {

class TestDatabase {
 public:
  // On SharedServers::get().postgres(), named after the current test.
  TestDatabase();
  // On `server`, named unique_name(name_hint) (the current test's name when empty).
  explicit TestDatabase(PostgresServer& server, std::string_view name_hint = "");
  // Terminates its sessions, drops the replication slots made in it (else the server
  // keeps their WAL forever) and drops the database. Skipped (with a warning) when the
  // server is not running.
  ~TestDatabase();
  TestDatabase(const TestDatabase&) = delete;
  TestDatabase& operator=(const TestDatabase&) = delete;

  const std::string& name() const { return name_; }
  // "postgresql://herald@127.0.0.1:PORT/<name>"
  std::string url() const { return server_.url_for(name_); }
  PostgresServer& server() const { return server_; }

  // Like PostgresServer::exec / scalar, in this database.
  PgRows exec(std::string_view sql) const { return server_.exec(sql, name_); }
  std::optional<std::string> scalar(std::string_view sql) const {
    return server_.scalar(sql, name_);
  }

 private:
  void drop();

  PostgresServer& server_;
  std::string name_;
};

}  // namespace herald::testing
