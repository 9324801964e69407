#pragma once
// pgoutput (logical replication protocol version 1) -> Changes.
//
// Feed it one pgoutput message at a time — the payload of an XLogData ('w') frame, or
// one `data` row of pg_logical_slot_{get,peek}_binary_changes — and it calls the visitor
// as it goes. Memory stays bounded by the largest single message: nothing is buffered
// across messages except the relation and type caches.
//
// A malformed or truncated message, or one that breaks the protocol's order (a row
// change outside Begin/Commit, an unknown relation), yields an Error naming the message
// type and byte offset; the visitor is then not called for that message and the
// decoder's state is as before it. After an error the caller should reconnect and call
// reset() (the stream restarts at a transaction boundary).

#include "capture/change.hpp"
#include "capture/relation.hpp"
#include "capture/type_catalog.hpp"
#include "common/result.hpp"

#include <cstddef>
#include <optional>
#include <span>
#include <string_view>

namespace herald::capture {

class PgoutputDecoder {
 public:
  PgoutputDecoder() = default;

  Result<void> decode(std::string_view message, ChangeVisitor& visitor);
  Result<void> decode(std::span<const std::byte> message, ChangeVisitor& visitor);

  // Forget any transaction in progress (the caches are kept: still valid after reconnect).
  void reset();

  bool in_transaction() const { return transaction_.has_value(); }
  const RelationCache& relations() const { return relations_; }
  // Mutable so that catalog knowledge (domain bases, array elements) can be taught.
  TypeCatalog& types() { return types_; }

 private:
  struct OpenTransaction {
    Begin begin;
    std::uint32_t next_position = 0;
  };

  Result<void> decode_begin(std::string_view message, ChangeVisitor& visitor);
  Result<void> decode_commit(std::string_view message, ChangeVisitor& visitor);
  Result<void> decode_origin(std::string_view message);
  Result<void> decode_relation(std::string_view message, ChangeVisitor& visitor);
  Result<void> decode_type(std::string_view message);
  Result<void> decode_row_change(std::string_view message, Operation op, ChangeVisitor& visitor);
  Result<void> decode_truncate(std::string_view message, ChangeVisitor& visitor);
  Result<void> decode_message(std::string_view message, ChangeVisitor& visitor);

  // The next position in the open transaction (and advances it).
  TransactionPosition take_position();

  RelationCache relations_;
  TypeCatalog types_;
  std::optional<OpenTransaction> transaction_;
};

}  // namespace herald::capture
