#pragma once
// A transaction on a Connection: BEGIN on creation, commit() to keep the work, and a
// ROLLBACK when it goes out of scope without commit (an early return, an error).
// The Connection must outlive the Transaction.

#include <string_view>

#include "pg/connection.hpp"

namespace herald::pg {

class Transaction {
 public:
  // `begin_sql` lets callers ask for an isolation level
  // ("BEGIN ISOLATION LEVEL REPEATABLE READ").
  static Result<Transaction> begin(Connection& connection, std::string_view begin_sql = "BEGIN");

  Transaction(Transaction&& other) noexcept;
  Transaction& operator=(Transaction&& other) noexcept;
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  ~Transaction();

  Connection& connection() { return *connection_; }
  Result<QueryResult> exec(std::string_view sql) { return connection_->exec(sql); }
  Result<QueryResult> exec_params(std::string_view sql, const Params& params) {
    return connection_->exec_params(sql, params);
  }

  // COMMIT. A COMMIT of a transaction that failed earlier is a ROLLBACK on the server;
  // that case is reported as an error here, not as success.
  Result<void> commit();
  Result<void> rollback();
  bool is_active() const { return connection_ != nullptr; }

 private:
  explicit Transaction(Connection& connection) : connection_(&connection) {}
  void rollback_quietly() noexcept;

  Connection* connection_;  // null once committed, rolled back or moved from
};

}  // namespace herald::pg
