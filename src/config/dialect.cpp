#include "config/dialect.hpp"

#include <optional>

namespace herald::config {
namespace {

constexpr std::string_view kRulesSegment = ".rules";

bool is_blank(char c) {
  return c == ' ' || c == '\t';
}

bool is_bare_key_char(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '-';
}

// Columns count code points, as toml++ does: every byte that is not a UTF-8
// continuation byte starts a new column.
int column_of(std::string_view line, std::size_t byte_offset) {
  int column = 1;
  for (std::size_t i = 0; i < byte_offset && i < line.size(); ++i) {
    if ((static_cast<unsigned char>(line[i]) & 0xC0U) != 0x80U) ++column;
  }
  return column;
}

// A table header as written: `[a.b]` or `[[a.b]]`, keys unquoted.
struct Header {
  bool is_array = false;
  std::vector<std::string> keys;
  std::size_t open = 0;           // byte offset of the first '['
  std::size_t close_end = 0;      // byte offset just past the last ']'
  std::size_t first_key_end = 0;  // byte offset just past the first key's text
};

// Reads one simple key at `pos`; returns its unquoted value and moves `pos` past it.
std::optional<std::string> read_simple_key(std::string_view line, std::size_t& pos) {
  if (pos >= line.size()) return std::nullopt;
  const char quote = line[pos];
  if (quote == '"' || quote == '\'') {
    std::string key;
    std::size_t i = pos + 1;
    while (i < line.size() && line[i] != quote) {
      if (quote == '"' && line[i] == '\\' && i + 1 < line.size()) {
        ++i;  // escapes of interest here are \" and \\; others stay as written
      }
      key += line[i];
      ++i;
    }
    if (i >= line.size()) return std::nullopt;
    pos = i + 1;
    return key;
  }
  std::size_t i = pos;
  while (i < line.size() && is_bare_key_char(line[i])) ++i;
  if (i == pos) return std::nullopt;
  std::string key(line.substr(pos, i - pos));
  pos = i;
  return key;
}

std::optional<Header> parse_header(std::string_view line) {
  Header header;
  std::size_t pos = 0;
  while (pos < line.size() && is_blank(line[pos])) ++pos;
  if (pos >= line.size() || line[pos] != '[') return std::nullopt;
  header.open = pos;
  ++pos;
  if (pos < line.size() && line[pos] == '[') {
    header.is_array = true;
    ++pos;
  }
  for (;;) {
    while (pos < line.size() && is_blank(line[pos])) ++pos;
    auto key = read_simple_key(line, pos);
    if (!key) return std::nullopt;
    header.keys.push_back(std::move(*key));
    if (header.keys.size() == 1) header.first_key_end = pos;
    while (pos < line.size() && is_blank(line[pos])) ++pos;
    if (pos < line.size() && line[pos] == '.') {
      ++pos;
      continue;
    }
    break;
  }
  const std::string_view closing = header.is_array ? "]]" : "]";
  if (line.substr(pos, closing.size()) != closing) return std::nullopt;
  pos += closing.size();
  header.close_end = pos;
  while (pos < line.size() && (is_blank(line[pos]) || line[pos] == '\r')) ++pos;
  if (pos < line.size() && line[pos] != '#') return std::nullopt;
  return header;
}

bool is_rule_header(const Header& header) {
  const auto& keys = header.keys;
  return header.is_array && ((keys.size() == 1 && keys[0] == "observers") ||
                             (keys.size() == 2 && keys[0] == "observers" && keys[1] == "rules"));
}

bool is_dialect_action_header(const Header& header) {
  return header.keys.size() >= 2 && header.keys[0] == "observers" && header.keys[1] == "actions";
}

// An action (or a table inside one) in either spelling.
bool is_action_header(const Header& header) {
  const auto& keys = header.keys;
  return is_dialect_action_header(header) ||
         (keys.size() >= 3 && keys[0] == "observers" && keys[1] == "rules" && keys[2] == "actions");
}

bool needs_rules_segment(const Header& header) {
  return (header.is_array && header.keys.size() == 1 && header.keys[0] == "observers") ||
         is_dialect_action_header(header);
}

// Tracks what a line-by-line reader must know to tell a header line from a line
// inside a multi-line string or a multi-line array value.
class ValueScanner {
 public:
  bool at_top_level() const { return string_ == StringKind::None && depth_ == 0; }

  void scan(std::string_view line) {
    std::size_t i = 0;
    while (i < line.size()) {
      if (string_ == StringKind::MultiBasic) {
        i = scan_multiline(line, i, '"');
      } else if (string_ == StringKind::MultiLiteral) {
        i = scan_multiline(line, i, '\'');
      } else {
        const char c = line[i];
        if (c == '#') return;
        if (c == '"' || c == '\'') {
          i = open_string(line, i, c);
          continue;
        }
        if (c == '[' || c == '{') ++depth_;
        if ((c == ']' || c == '}') && depth_ > 0) --depth_;
        ++i;
      }
    }
  }

 private:
  enum class StringKind { None, MultiBasic, MultiLiteral };

  std::size_t open_string(std::string_view line, std::size_t i, char quote) {
    if (line.substr(i, 3) == std::string_view(quote == '"' ? "\"\"\"" : "'''")) {
      string_ = quote == '"' ? StringKind::MultiBasic : StringKind::MultiLiteral;
      return i + 3;
    }
    std::size_t j = i + 1;
    while (j < line.size() && line[j] != quote) {
      if (quote == '"' && line[j] == '\\') ++j;
      ++j;
    }
    return j + 1;  // a string left open at the end of a line is toml++'s error to report
  }

  std::size_t scan_multiline(std::string_view line, std::size_t i, char quote) {
    if (quote == '"' && line[i] == '\\') return i + 2;
    if (line[i] != quote) return i + 1;
    std::size_t run = 0;
    while (i + run < line.size() && line[i + run] == quote) ++run;
    // Up to two quotes may sit right before the closing delimiter: `""""` ends in `"`.
    if (run >= 3) string_ = StringKind::None;
    return i + run;
  }

  StringKind string_ = StringKind::None;
  int depth_ = 0;
};

}  // namespace

void ColumnMap::record_insertion(int line, int column, int length) {
  insertions_[line] = Insertion{column, length};
}

int ColumnMap::original_column(int line, int column) const {
  const auto found = insertions_.find(line);
  if (found == insertions_.end()) return column;
  const Insertion& insertion = found->second;
  if (column < insertion.column) return column;
  // Inside the inserted text: point at the user's last character before it.
  if (column < insertion.column + insertion.length) return std::max(1, insertion.column - 1);
  return column - insertion.length;
}

DialectResult rewrite_observers_dialect(std::string_view text) {
  DialectResult result;
  result.text.reserve(text.size() + 64);
  ValueScanner scanner;
  bool seen_rule = false;
  int line_number = 0;
  std::size_t start = 0;
  while (start <= text.size()) {
    const std::size_t end = std::min(text.find('\n', start), text.size());
    const std::string_view line = text.substr(start, end - start);
    ++line_number;
    const auto header = scanner.at_top_level() ? parse_header(line) : std::nullopt;
    if (header) {
      if (is_action_header(*header) && !seen_rule) {
        const std::string_view written =
            line.substr(header->open, header->close_end - header->open);
        result.errors.push_back(DialectError{
            line_number, column_of(line, header->open),
            std::string(written) + " has no [[observers]] rule before it to belong to"});
      }
      if (is_rule_header(*header)) seen_rule = true;
      if (needs_rules_segment(*header)) {
        result.text.append(line.substr(0, header->first_key_end));
        result.text.append(kRulesSegment);
        result.text.append(line.substr(header->first_key_end));
        result.columns.record_insertion(line_number, column_of(line, header->first_key_end),
                                        static_cast<int>(kRulesSegment.size()));
      } else {
        result.text.append(line);
      }
    } else {
      scanner.scan(line);
      result.text.append(line);
    }
    if (end == text.size()) break;
    result.text.push_back('\n');
    start = end + 1;
  }
  return result;
}

}  // namespace herald::config
