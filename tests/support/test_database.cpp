#include "support/test_database.hpp"

#include <chrono>
#include <cstdio>
#include <stdexcept>

#include <fmt/format.h>

#include "support/eventually.hpp"
#include "support/shared_servers.hpp"

namespace herald::testing {

TestDatabase::TestDatabase() : TestDatabase(SharedServers::get().postgres()) {}

TestDatabase::TestDatabase(PostgresServer& server, std::string_view name_hint)
    : server_(server), name_(unique_name(name_hint)) {
  server_.exec(fmt::format("CREATE DATABASE {}", pg_quote_ident(name_)));
}

TestDatabase::~TestDatabase() {
  try {
    drop();
  } catch (const std::exception& error) {
    std::fprintf(stderr, "warning: cannot drop test database %s: %s\n", name_.c_str(),
                 error.what());
  }
}

void TestDatabase::drop() {
  if (!server_.running()) {
    std::fprintf(stderr, "warning: PostgreSQL is down; test database %s is left behind\n",
                 name_.c_str());
    return;
  }
  const std::string literal = pg_quote_literal(name_);
  // Slots outlive their database's sessions; an active one is released by ending the
  // walsender that holds it.
  const bool slots_gone = eventually(
      [&] {
        try {
          server_.exec(
              fmt::format("SELECT pg_terminate_backend(active_pid) FROM pg_replication_slots "
                          "WHERE database = {0} AND active_pid IS NOT NULL;"
                          "SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots "
                          "WHERE database = {0} AND NOT active",
                          literal));
        } catch (const std::runtime_error&) {
          return false;  // a slot became active again meanwhile: terminate it next round
        }
        return server_.scalar(fmt::format(
                   "SELECT count(*) FROM pg_replication_slots WHERE database = {}", literal)) ==
               "0";
      },
      std::chrono::seconds(10), std::chrono::milliseconds(50));
  if (!slots_gone) {
    std::fprintf(stderr, "warning: replication slots of %s could not be dropped\n", name_.c_str());
  }
  server_.exec(fmt::format("DROP DATABASE IF EXISTS {} WITH (FORCE)", pg_quote_ident(name_)));
}

}  // namespace herald::testing
