#pragma once
// Encodes pgoutput (protocol 1) messages byte for byte as PostgreSQL's proto.c writes
// them, so decoder tests can state their input plainly.

#include "capture/lsn.hpp"
#include "capture/type_oids.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace herald::capture::testing {

// Raw big-endian field writer.
class Bytes {
 public:
  Bytes& u8(std::uint8_t v) {
    out_.push_back(static_cast<char>(v));
    return *this;
  }
  Bytes& u16(std::uint16_t v) { return be(v, 2); }
  Bytes& u32(std::uint32_t v) { return be(v, 4); }
  Bytes& u64(std::uint64_t v) { return be(v, 8); }
  Bytes& cstring(std::string_view s) {
    out_.append(s);
    out_.push_back('\0');
    return *this;
  }
  Bytes& raw(std::string_view s) {
    out_.append(s);
    return *this;
  }
  std::string str() const { return out_; }

 private:
  Bytes& be(std::uint64_t v, int width) {
    for (int shift = (width - 1) * 8; shift >= 0; shift -= 8) {
      out_.push_back(static_cast<char>((v >> shift) & 0xff));
    }
    return *this;
  }
  std::string out_;
};

struct ColumnSpec {
  std::string name;
  TypeOid type = oid::kText;
  bool key = false;
  std::int32_t type_modifier = -1;
};

// One TupleData column: 'n', 'u', 't' + text, or 'b' + bytes.
struct Value {
  char kind = 'n';
  std::string data;
};
inline Value text(std::string s) {
  return Value{'t', std::move(s)};
}
inline Value null() {
  return Value{'n', {}};
}
inline Value unchanged() {
  return Value{'u', {}};
}
inline Value binary(std::string s) {
  return Value{'b', std::move(s)};
}

inline void write_tuple(Bytes& b, const std::vector<Value>& values) {
  b.u16(static_cast<std::uint16_t>(values.size()));
  for (const Value& v : values) {
    b.u8(static_cast<std::uint8_t>(v.kind));
    if (v.kind == 't' || v.kind == 'b') {
      b.u32(static_cast<std::uint32_t>(v.data.size())).raw(v.data);
    }
  }
}

inline std::string begin_message(Lsn final_lsn, std::int64_t pg_time, std::uint32_t xid) {
  return Bytes().u8('B').u64(final_lsn).u64(static_cast<std::uint64_t>(pg_time)).u32(xid).str();
}

inline std::string commit_message(Lsn commit_lsn, Lsn end_lsn, std::int64_t pg_time,
                                  std::uint8_t flags = 0) {
  return Bytes()
      .u8('C')
      .u8(flags)
      .u64(commit_lsn)
      .u64(end_lsn)
      .u64(static_cast<std::uint64_t>(pg_time))
      .str();
}

inline std::string origin_message(Lsn lsn, std::string_view name) {
  return Bytes().u8('O').u64(lsn).cstring(name).str();
}

inline std::string relation_message(std::uint32_t rel, std::string_view schema,
                                    std::string_view name, char identity,
                                    const std::vector<ColumnSpec>& columns) {
  Bytes b;
  b.u8('R').u32(rel).cstring(schema).cstring(name).u8(static_cast<std::uint8_t>(identity));
  b.u16(static_cast<std::uint16_t>(columns.size()));
  for (const ColumnSpec& c : columns) {
    b.u8(c.key ? 1 : 0)
        .cstring(c.name)
        .u32(c.type)
        .u32(static_cast<std::uint32_t>(c.type_modifier));
  }
  return b.str();
}

inline std::string type_message(std::uint32_t type, std::string_view schema,
                                std::string_view name) {
  return Bytes().u8('Y').u32(type).cstring(schema).cstring(name).str();
}

inline std::string insert_message(std::uint32_t rel, const std::vector<Value>& row) {
  Bytes b;
  b.u8('I').u32(rel).u8('N');
  write_tuple(b, row);
  return b.str();
}

// `old_kind` is 'K', 'O' or 0 for no old tuple.
inline std::string update_message(std::uint32_t rel, char old_kind,
                                  const std::vector<Value>& old_row,
                                  const std::vector<Value>& new_row) {
  Bytes b;
  b.u8('U').u32(rel);
  if (old_kind != 0) {
    b.u8(static_cast<std::uint8_t>(old_kind));
    write_tuple(b, old_row);
  }
  b.u8('N');
  write_tuple(b, new_row);
  return b.str();
}

inline std::string delete_message(std::uint32_t rel, char old_kind,
                                  const std::vector<Value>& old_row) {
  Bytes b;
  b.u8('D').u32(rel).u8(static_cast<std::uint8_t>(old_kind));
  write_tuple(b, old_row);
  return b.str();
}

inline std::string truncate_message(const std::vector<std::uint32_t>& rels, std::uint8_t options) {
  Bytes b;
  b.u8('T').u32(static_cast<std::uint32_t>(rels.size())).u8(options);
  for (std::uint32_t rel : rels) b.u32(rel);
  return b.str();
}

inline std::string logical_message(bool transactional, Lsn lsn, std::string_view prefix,
                                   std::string_view content) {
  return Bytes()
      .u8('M')
      .u8(transactional ? 1 : 0)
      .u64(lsn)
      .cstring(prefix)
      .u32(static_cast<std::uint32_t>(content.size()))
      .raw(content)
      .str();
}

}  // namespace herald::capture::testing
