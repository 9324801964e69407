#include "graphql/block_string.hpp"

#include <algorithm>
#include <cstddef>
#include <limits>

namespace herald::graphql {
namespace {

std::size_t leading_white_space(std::string_view line) {
  std::size_t i = 0;
  while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;
  return i;
}

// The lines the lexer would read from `text` (a whole """...""" literal), or nullopt if
// the lexer would end the literal anywhere but at the end of `text`.
std::optional<std::vector<std::string>> lex_block_lines(std::string_view text) {
  std::vector<std::string> lines;
  std::string line;
  std::size_t i = 3;
  while (i < text.size()) {
    if (text.substr(i, 3) == "\"\"\"") {
      if (i + 3 != text.size()) return std::nullopt;
      lines.push_back(std::move(line));
      return lines;
    }
    if (text.substr(i, 4) == "\\\"\"\"") {
      line += "\"\"\"";
      i += 4;
    } else if (text[i] == '\n') {
      lines.push_back(std::move(line));
      line.clear();
      ++i;
    } else {
      line += text[i++];
    }
  }
  return std::nullopt;
}

std::string escape_triple_quotes(std::string_view value) {
  std::string out;
  std::size_t i = 0;
  while (i < value.size()) {
    if (value.substr(i, 3) == "\"\"\"") {
      out += "\\\"\"\"";
      i += 3;
    } else {
      out += value[i++];
    }
  }
  return out;
}

}  // namespace

std::string block_string_value(const std::vector<std::string>& raw_lines) {
  std::size_t common_indent = std::numeric_limits<std::size_t>::max();
  std::optional<std::size_t> first_non_blank;
  std::size_t end = 0;  // one past the last non-blank line
  for (std::size_t i = 0; i < raw_lines.size(); ++i) {
    const std::size_t indent = leading_white_space(raw_lines[i]);
    if (indent == raw_lines[i].size()) continue;
    if (!first_non_blank) first_non_blank = i;
    end = i + 1;
    if (i != 0) common_indent = std::min(common_indent, indent);
  }
  std::string value;
  for (std::size_t i = first_non_blank.value_or(0); i < end; ++i) {
    if (i != first_non_blank.value_or(0)) value += '\n';
    const std::string& line = raw_lines[i];
    value += i == 0 ? line : line.substr(std::min(common_indent, line.size()));
  }
  return value;
}

std::optional<std::string> print_block_string(std::string_view value) {
  if (value.find('\r') != std::string_view::npos) return std::nullopt;
  const std::string escaped = escape_triple_quotes(value);
  // Candidates, in order of preference: on separate lines (multi-line text reads
  // best), then inline. The one whose value survives a round trip wins.
  const bool multi_line = value.find('\n') != std::string_view::npos;
  std::vector<std::string> candidates;
  if (multi_line) candidates.push_back("\"\"\"\n" + escaped + "\n\"\"\"");
  candidates.push_back("\"\"\"" + escaped + "\"\"\"");
  if (!multi_line) candidates.push_back("\"\"\"\n" + escaped + "\n\"\"\"");
  // Indented first line that ends in a quote: only the closing quotes move down.
  candidates.push_back("\"\"\"" + escaped + "\n\"\"\"");
  for (const std::string& text : candidates) {
    const auto lines = lex_block_lines(text);
    if (lines && block_string_value(*lines) == value) return text;
  }
  return std::nullopt;
}

}  // namespace herald::graphql
