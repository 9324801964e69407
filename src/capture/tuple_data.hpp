#pragma once
// pgoutput TupleData: a column count, then per column 'n' (null), 'u' (unchanged TOASTed
// value, not sent), 't' (text) or 'b' (binary, only with the `binary` option herald never
// sets) — turned into a JSON row by the relation's column names and types.

#include "capture/byte_reader.hpp"
#include "capture/relation.hpp"
#include "capture/type_catalog.hpp"

#include <nlohmann/json.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace herald::capture {

enum class ValueKind { Null, UnchangedToast, Text };

struct ColumnValue {
  ValueKind kind = ValueKind::Null;
  std::string_view text;  // points into the message being decoded
};

// Reads one TupleData whose column count must match the relation's; problems fail the
// reader (and the result is then meaningless).
std::vector<ColumnValue> read_tuple_data(ByteReader& reader, const Relation& relation);

struct RowJson {
  nlohmann::json row = nlohmann::json::object();
  std::vector<std::string> unchanged_toast;  // columns left out of `row`
};

// `key_only` keeps only the relation's key columns (for 'K' old-key tuples, whose other
// columns PostgreSQL sends as nulls that mean "not sent", not NULL).
RowJson tuple_to_json(const std::vector<ColumnValue>& values, const Relation& relation,
                      const TypeCatalog& types, bool key_only);

}  // namespace herald::capture
