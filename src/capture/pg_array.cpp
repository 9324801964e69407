#include "capture/pg_array.hpp"

#include <string>

namespace herald::capture {
namespace {

using nlohmann::json;

// PostgreSQL's MAXDIM; it also bounds our recursion on hostile input.
constexpr int kMaxDimensions = 6;

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

bool equals_null(std::string_view s) {
  return s.size() == 4 && (s[0] == 'N' || s[0] == 'n') && (s[1] == 'U' || s[1] == 'u') &&
         (s[2] == 'L' || s[2] == 'l') && (s[3] == 'L' || s[3] == 'l');
}

class ArrayLiteralParser {
 public:
  ArrayLiteralParser(std::string_view text, const ElementConverter& element)
      : text_(text), element_(element) {}

  std::optional<json> parse() {
    if (!skip_dimension_decoration()) return std::nullopt;
    skip_spaces();
    auto result = parse_array(1);
    skip_spaces();
    if (!result || pos_ != text_.size()) return std::nullopt;
    return result;
  }

 private:
  // "[1:2][3:4]=" — validated for shape only, then ignored.
  bool skip_dimension_decoration() {
    if (!peek('[')) return true;
    while (peek('[')) {
      ++pos_;
      if (peek('-')) ++pos_;
      if (!skip_digits()) return false;
      if (take(':')) {
        if (peek('-')) ++pos_;
        if (!skip_digits()) return false;
      }
      if (!take(']')) return false;
    }
    return take('=');
  }

  bool skip_digits() {
    const std::size_t start = pos_;
    while (pos_ < text_.size() && text_[pos_] >= '0' && text_[pos_] <= '9') ++pos_;
    return pos_ > start;
  }

  std::optional<json> parse_array(int depth) {
    if (depth > kMaxDimensions || !take('{')) return std::nullopt;
    json out = json::array();
    skip_spaces();
    if (take('}')) return out;
    while (true) {
      skip_spaces();
      std::optional<json> item = peek('{') ? parse_array(depth + 1) : parse_element();
      if (!item) return std::nullopt;
      out.push_back(std::move(*item));
      skip_spaces();
      if (take('}')) return out;
      if (!take(',')) return std::nullopt;
    }
  }

  std::optional<json> parse_element() {
    if (take('"')) {
      std::string value;
      while (pos_ < text_.size() && text_[pos_] != '"') {
        if (text_[pos_] == '\\') ++pos_;
        if (pos_ >= text_.size()) return std::nullopt;
        value.push_back(text_[pos_++]);
      }
      if (!take('"')) return std::nullopt;
      return element_(value);
    }
    const std::size_t start = pos_;
    while (pos_ < text_.size() && text_[pos_] != ',' && text_[pos_] != '}' && text_[pos_] != '{' &&
           text_[pos_] != '"' && text_[pos_] != '\\') {
      ++pos_;
    }
    std::string_view raw = text_.substr(start, pos_ - start);
    while (!raw.empty() && is_space(raw.back())) raw.remove_suffix(1);
    if (raw.empty()) return std::nullopt;
    if (equals_null(raw)) return json(nullptr);
    return element_(raw);
  }

  void skip_spaces() {
    while (pos_ < text_.size() && is_space(text_[pos_])) ++pos_;
  }
  bool peek(char c) const { return pos_ < text_.size() && text_[pos_] == c; }
  bool take(char c) {
    if (!peek(c)) return false;
    ++pos_;
    return true;
  }

  std::string_view text_;
  const ElementConverter& element_;
  std::size_t pos_ = 0;
};

}  // namespace

std::optional<json> parse_pg_array(std::string_view text, const ElementConverter& element) {
  return ArrayLiteralParser(text, element).parse();
}

}  // namespace herald::capture
