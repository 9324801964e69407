#include "capture/tuple_data.hpp"

#include "capture/column_to_json.hpp"

#include <fmt/format.h>

namespace herald::capture {

std::vector<ColumnValue> read_tuple_data(ByteReader& reader, const Relation& relation) {
  std::vector<ColumnValue> values;
  const std::int16_t count = reader.i16("tuple column count");
  if (!reader.ok()) return values;
  if (count < 0 || static_cast<std::size_t>(count) != relation.columns.size()) {
    reader.fail(fmt::format("tuple has {} columns but relation {} has {}", count,
                            relation.qualified_name(), relation.columns.size()));
    return values;
  }
  values.reserve(relation.columns.size());
  for (std::size_t i = 0; i < relation.columns.size() && reader.ok(); ++i) {
    const char kind = static_cast<char>(reader.u8("column kind"));
    if (!reader.ok()) break;
    switch (kind) {
      case 'n':
        values.push_back({ValueKind::Null, {}});
        break;
      case 'u':
        values.push_back({ValueKind::UnchangedToast, {}});
        break;
      case 't': {
        const std::int32_t length = reader.i32("text value length");
        if (reader.ok() && length < 0) {
          reader.fail(fmt::format("negative length {} for column {}", length, i));
          break;
        }
        values.push_back(
            {ValueKind::Text, reader.bytes(static_cast<std::size_t>(length), "text value")});
        break;
      }
      case 'b':
        reader.fail(
            fmt::format("binary value for column {} ({}) is not supported: herald asks "
                        "for text values",
                        i, relation.columns[i].name));
        break;
      default:
        reader.fail(fmt::format("unknown column kind 0x{:02x} for column {}",
                                static_cast<unsigned char>(kind), i));
        break;
    }
  }
  return values;
}

RowJson tuple_to_json(const std::vector<ColumnValue>& values, const Relation& relation,
                      const TypeCatalog& types, bool key_only) {
  RowJson out;
  for (std::size_t i = 0; i < values.size() && i < relation.columns.size(); ++i) {
    const Column& column = relation.columns[i];
    if (key_only && !column.key) continue;
    switch (values[i].kind) {
      case ValueKind::Null:
        out.row[column.name] = nullptr;
        break;
      case ValueKind::UnchangedToast:
        out.unchanged_toast.push_back(column.name);
        break;
      case ValueKind::Text:
        out.row[column.name] = column_to_json(column.type, values[i].text, &types);
        break;
    }
  }
  return out;
}

}  // namespace herald::capture
