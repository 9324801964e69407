#include "capture/pgoutput_decoder.hpp"

#include "capture/byte_reader.hpp"
#include "capture/tuple_data.hpp"
#include "capture/utf8.hpp"

#include <fmt/format.h>

#include <utility>

namespace herald::capture {
namespace {

std::string printable(char type) {
  const auto byte = static_cast<unsigned char>(type);
  if (byte >= 0x20 && byte < 0x7f) return fmt::format("'{}' (0x{:02x})", type, byte);
  return fmt::format("0x{:02x}", byte);
}

std::optional<ReplicaIdentity> replica_identity_from(char code) {
  switch (code) {
    case 'd':
      return ReplicaIdentity::Default;
    case 'n':
      return ReplicaIdentity::Nothing;
    case 'f':
      return ReplicaIdentity::Full;
    case 'i':
      return ReplicaIdentity::Index;
    default:
      return std::nullopt;
  }
}

const char* message_name(Operation op) {
  switch (op) {
    case Operation::Insert:
      return "Insert";
    case Operation::Update:
      return "Update";
    case Operation::Delete:
      return "Delete";
  }
  return "?";
}

// The message body after its type byte; offsets in errors count from the type byte.
class MessageReader : public ByteReader {
 public:
  MessageReader(std::string_view message, std::string_view name) : ByteReader(message, name) {
    u8("message type");
  }
};

Result<void> finish(MessageReader& reader) {
  reader.expect_end();
  if (!reader.ok()) return reader.error();
  return {};
}

}  // namespace

Result<void> PgoutputDecoder::decode(std::span<const std::byte> message, ChangeVisitor& visitor) {
  return decode(std::string_view(reinterpret_cast<const char*>(message.data()), message.size()),
                visitor);
}

Result<void> PgoutputDecoder::decode(std::string_view message, ChangeVisitor& visitor) {
  if (message.empty()) return Error{"pgoutput message is empty"};
  switch (message.front()) {
    case 'B':
      return decode_begin(message, visitor);
    case 'C':
      return decode_commit(message, visitor);
    case 'O':
      return decode_origin(message);
    case 'R':
      return decode_relation(message, visitor);
    case 'Y':
      return decode_type(message);
    case 'I':
      return decode_row_change(message, Operation::Insert, visitor);
    case 'U':
      return decode_row_change(message, Operation::Update, visitor);
    case 'D':
      return decode_row_change(message, Operation::Delete, visitor);
    case 'T':
      return decode_truncate(message, visitor);
    case 'M':
      return decode_message(message, visitor);
    default:
      return Error{
          fmt::format("pgoutput message type {} at byte 0 is not part of protocol version 1",
                      printable(message.front()))};
  }
}

void PgoutputDecoder::reset() {
  transaction_.reset();
}

TransactionPosition PgoutputDecoder::take_position() {
  OpenTransaction& open = *transaction_;
  return TransactionPosition{open.begin.xid, open.begin.final_lsn, open.next_position++,
                             open.begin.commit_time};
}

Result<void> PgoutputDecoder::decode_begin(std::string_view message, ChangeVisitor& visitor) {
  MessageReader reader(message, "Begin");
  Begin begin;
  begin.final_lsn = reader.u64("final LSN");
  begin.commit_time = commit_time_from_pg(reader.i64("commit time"));
  begin.xid = reader.u32("xid");
  if (transaction_) {
    reader.fail(fmt::format("Begin of xid {} while xid {} is still open", begin.xid,
                            transaction_->begin.xid));
  }
  if (auto done = finish(reader); !done) return done;
  transaction_ = OpenTransaction{begin, 0};
  visitor.on_begin(begin);
  return {};
}

Result<void> PgoutputDecoder::decode_commit(std::string_view message, ChangeVisitor& visitor) {
  MessageReader reader(message, "Commit");
  Commit commit;
  commit.flags = reader.u8("flags");
  commit.commit_lsn = reader.u64("commit LSN");
  commit.end_lsn = reader.u64("end LSN");
  commit.commit_time = commit_time_from_pg(reader.i64("commit time"));
  if (!transaction_) {
    reader.fail("Commit without Begin");
  } else if (commit.commit_lsn != transaction_->begin.final_lsn) {
    reader.fail(fmt::format("commit LSN {} differs from the Begin's final LSN {}",
                            format_lsn(commit.commit_lsn),
                            format_lsn(transaction_->begin.final_lsn)));
  }
  if (auto done = finish(reader); !done) return done;
  transaction_.reset();
  visitor.on_commit(commit);
  return {};
}

Result<void> PgoutputDecoder::decode_origin(std::string_view message) {
  // Replication origins matter for bidirectional setups, not for herald: validate, drop.
  MessageReader reader(message, "Origin");
  reader.u64("origin LSN");
  reader.cstring("origin name");
  return finish(reader);
}

Result<void> PgoutputDecoder::decode_relation(std::string_view message, ChangeVisitor& visitor) {
  MessageReader reader(message, "Relation");
  Relation relation;
  relation.oid = reader.u32("relation oid");
  const std::string_view schema = reader.cstring("namespace");
  relation.schema = schema.empty() ? "pg_catalog" : valid_utf8(schema);
  relation.name = valid_utf8(reader.cstring("relation name"));
  const char identity = static_cast<char>(reader.u8("replica identity"));
  const std::int16_t count = reader.i16("column count");
  if (!reader.ok()) return reader.error();
  if (auto parsed = replica_identity_from(identity)) {
    relation.replica_identity = *parsed;
  } else {
    reader.fail(fmt::format("unknown replica identity {}", printable(identity)));
  }
  // Each column takes at least 10 bytes: a count beyond that is a lie; don't reserve it.
  if (count < 0 || static_cast<std::size_t>(count) * 10 > reader.remaining()) {
    reader.fail(fmt::format("column count {} does not fit the message", count));
  }
  for (std::int16_t i = 0; reader.ok() && i < count; ++i) {
    Column column;
    column.key = (reader.u8("column flags") & 1) != 0;
    column.name = valid_utf8(reader.cstring("column name"));
    column.type = reader.u32("column type oid");
    column.type_modifier = reader.i32("column type modifier");
    relation.columns.push_back(std::move(column));
  }
  if (auto done = finish(reader); !done) return done;
  visitor.on_relation(relation);
  relations_.replace(std::move(relation));
  return {};
}

Result<void> PgoutputDecoder::decode_type(std::string_view message) {
  MessageReader reader(message, "Type");
  TypeInfo info;
  info.oid = reader.u32("type oid");
  const std::string_view schema = reader.cstring("namespace");
  info.schema = schema.empty() ? "pg_catalog" : valid_utf8(schema);
  info.name = valid_utf8(reader.cstring("type name"));
  if (auto done = finish(reader); !done) return done;
  types_.remember(std::move(info));
  return {};
}

Result<void> PgoutputDecoder::decode_row_change(std::string_view message, Operation op,
                                                ChangeVisitor& visitor) {
  MessageReader reader(message, message_name(op));
  const RelationOid oid = reader.u32("relation oid");
  if (!reader.ok()) return reader.error();
  std::shared_ptr<const Relation> relation = relations_.find(oid);
  if (!transaction_) {
    reader.fail(fmt::format("{} outside a transaction", message_name(op)));
  } else if (!relation) {
    reader.fail(fmt::format("unknown relation oid {} (no Relation message seen)", oid));
  }
  if (!reader.ok()) return reader.error();

  std::vector<ColumnValue> old_values;
  std::vector<ColumnValue> new_values;
  OldRow old_kind = OldRow::None;
  char marker = static_cast<char>(reader.u8("tuple marker"));
  const bool may_have_old = op != Operation::Insert;
  if (reader.ok() && may_have_old && (marker == 'K' || marker == 'O')) {
    old_kind = marker == 'K' ? OldRow::KeyOnly : OldRow::Full;
    old_values = read_tuple_data(reader, *relation);
    if (op == Operation::Update) marker = static_cast<char>(reader.u8("tuple marker"));
  } else if (reader.ok() && op == Operation::Delete) {
    reader.fail(fmt::format("Delete needs a 'K' or 'O' tuple, got {}", printable(marker)));
  }
  if (reader.ok() && op != Operation::Delete) {
    if (marker == 'N') {
      new_values = read_tuple_data(reader, *relation);
    } else {
      reader.fail(fmt::format("expected new tuple 'N', got {}", printable(marker)));
    }
  }
  if (auto done = finish(reader); !done) return done;

  Change change;
  change.relation = relation;
  change.op = op;
  if (old_kind != OldRow::None) {
    RowJson old_row = tuple_to_json(old_values, *relation, types_, old_kind == OldRow::KeyOnly);
    change.old_row = std::move(old_row.row);
  }
  change.old_kind = old_kind;
  if (op != Operation::Delete) {
    RowJson new_row = tuple_to_json(new_values, *relation, types_, false);
    change.new_row = std::move(new_row.row);
    for (std::string& column : new_row.unchanged_toast) {
      // "Unchanged" means the old value is the new one: take it from the old row when
      // PostgreSQL sent it (a full row, or a key-only row that holds this key column).
      const bool known = change.old_row.is_object() && change.old_row.contains(column);
      if (known) {
        change.new_row[column] = change.old_row[column];
      } else {
        change.unchanged_toast.push_back(std::move(column));
      }
    }
  }
  const nlohmann::json& key_source = op == Operation::Delete ? change.old_row : change.new_row;
  change.key = nlohmann::json::object();
  for (const Column& column : relation->columns) {
    if (column.key && key_source.is_object() && key_source.contains(column.name)) {
      change.key[column.name] = key_source[column.name];
    }
  }
  change.txn = take_position();
  visitor.on_change(change);
  return {};
}

Result<void> PgoutputDecoder::decode_truncate(std::string_view message, ChangeVisitor& visitor) {
  MessageReader reader(message, "Truncate");
  const std::int32_t count = reader.i32("relation count");
  const std::uint8_t options = reader.u8("options");
  if (reader.ok() && !transaction_) reader.fail("Truncate outside a transaction");
  if (reader.ok() && (count < 0 || static_cast<std::size_t>(count) * 4 != reader.remaining())) {
    reader.fail(fmt::format("relation count {} does not match the {} bytes left", count,
                            reader.remaining()));
  }
  Truncate truncate;
  truncate.cascade = (options & 1) != 0;
  truncate.restart_identity = (options & 2) != 0;
  for (std::int32_t i = 0; reader.ok() && i < count; ++i) {
    const RelationOid oid = reader.u32("relation oid");
    auto relation = relations_.find(oid);
    if (!relation) {
      reader.fail(fmt::format("unknown relation oid {} (no Relation message seen)", oid));
    }
    truncate.relations.push_back(std::move(relation));
  }
  if (auto done = finish(reader); !done) return done;
  truncate.txn = take_position();
  visitor.on_truncate(truncate);
  return {};
}

Result<void> PgoutputDecoder::decode_message(std::string_view message, ChangeVisitor& visitor) {
  MessageReader reader(message, "Message");
  LogicalMessage logical;
  const std::uint8_t flags = reader.u8("flags");
  logical.transactional = (flags & 1) != 0;
  logical.lsn = reader.u64("message LSN");
  logical.prefix = valid_utf8(reader.cstring("prefix"));
  const std::int32_t length = reader.i32("content length");
  if (reader.ok() && length < 0) reader.fail(fmt::format("negative content length {}", length));
  logical.content = std::string(reader.bytes(static_cast<std::size_t>(length), "content"));
  if (reader.ok() && logical.transactional && !transaction_) {
    reader.fail("transactional message outside a transaction");
  }
  if (auto done = finish(reader); !done) return done;
  if (logical.transactional) logical.txn = take_position();
  visitor.on_message(logical);
  return {};
}

}  // namespace herald::capture
