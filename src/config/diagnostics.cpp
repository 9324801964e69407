#include "config/diagnostics.hpp"

#include <algorithm>

namespace herald::config {
namespace {

// Byte offset of the code point at 1-based `column` in `line`.
std::size_t byte_offset_of(std::string_view line, int column) {
  int current = 1;
  for (std::size_t i = 0; i < line.size(); ++i) {
    if ((static_cast<unsigned char>(line[i]) & 0xC0U) == 0x80U) continue;
    if (current == column) return i;
    ++current;
  }
  return line.size();
}

}  // namespace

Diagnostics::Diagnostics(std::string path, const ColumnMap& columns, std::string_view original_text)
    : path_(std::move(path)), columns_(columns) {
  std::size_t start = 0;
  for (;;) {
    const std::size_t end = original_text.find('\n', start);
    lines_.push_back(original_text.substr(start, end - start));
    if (end == std::string_view::npos) break;
    start = end + 1;
  }
}

SourcePos Diagnostics::at(const toml::source_position& position) const {
  const int line = static_cast<int>(position.line);
  const int column = static_cast<int>(position.column);
  return SourcePos{path_, line, columns_.original_column(line, column)};
}

SourcePos Diagnostics::first_character(const toml::node& string_node) const {
  SourcePos pos = at(string_node);
  if (pos.line < 1 || static_cast<std::size_t>(pos.line) > lines_.size()) return pos;
  const std::string_view line = lines_[static_cast<std::size_t>(pos.line) - 1];
  const std::string_view rest = line.substr(byte_offset_of(line, pos.column));
  if (rest.starts_with("\"\"\"") || rest.starts_with("'''")) {
    const std::string_view after = rest.substr(3);
    if (after.empty() || after == "\r") return SourcePos{path_, pos.line + 1, 1};
    pos.column += 3;
  } else if (rest.starts_with('"') || rest.starts_with('\'')) {
    pos.column += 1;
  }
  return pos;
}

void Diagnostics::error(SourcePos pos, std::string message) {
  errors_.push_back(ConfigError{std::move(pos), std::move(message)});
}

std::vector<ConfigError> Diagnostics::take_sorted() {
  std::stable_sort(errors_.begin(), errors_.end(), [](const ConfigError& a, const ConfigError& b) {
    return a.pos.line != b.pos.line ? a.pos.line < b.pos.line : a.pos.column < b.pos.column;
  });
  return std::move(errors_);
}

}  // namespace herald::config
