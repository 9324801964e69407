#include "pg/transaction.hpp"

#include <spdlog/spdlog.h>

#include <utility>

namespace herald::pg {

Result<Transaction> Transaction::begin(Connection& connection, std::string_view begin_sql) {
  auto started = connection.exec(begin_sql);
  if (!started) return started.error();
  return Transaction(connection);
}

Transaction::Transaction(Transaction&& other) noexcept
    : connection_(std::exchange(other.connection_, nullptr)) {}

Transaction& Transaction::operator=(Transaction&& other) noexcept {
  if (this != &other) {
    rollback_quietly();
    connection_ = std::exchange(other.connection_, nullptr);
  }
  return *this;
}

Transaction::~Transaction() {
  rollback_quietly();
}

Result<void> Transaction::commit() {
  if (connection_ == nullptr) return make_usage_error("commit: the transaction is not active");
  Connection& connection = *std::exchange(connection_, nullptr);
  auto done = connection.exec("COMMIT");
  if (!done) return done.error();
  // After an error inside the transaction the server answers COMMIT with ROLLBACK.
  if (done->command_status() == "ROLLBACK") {
    Error error;
    error.sqlstate = "25P02";  // in_failed_sql_transaction
    error.primary = "the transaction had failed earlier; COMMIT rolled it back";
    error.message = "commit: " + error.primary;
    return error;
  }
  return {};
}

Result<void> Transaction::rollback() {
  if (connection_ == nullptr) return make_usage_error("rollback: the transaction is not active");
  auto done = std::exchange(connection_, nullptr)->exec("ROLLBACK");
  if (!done) return done.error();
  return {};
}

void Transaction::rollback_quietly() noexcept {
  if (connection_ == nullptr) return;
  try {
    Connection& connection = *std::exchange(connection_, nullptr);
    // Nothing to roll back on a dead connection: the server already did.
    if (!connection.is_ok()) return;
    auto done = connection.exec("ROLLBACK");
    if (!done)
      spdlog::warn("rolling back an abandoned transaction failed: {}", done.error().message);
  } catch (...) {
    // Destructors must not throw; the server rolls back when the session ends anyway.
  }
}

}  // namespace herald::pg
