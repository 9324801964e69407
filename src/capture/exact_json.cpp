#include "capture/exact_json.hpp"

#include <charconv>
#include <cstdlib>
#include <vector>

namespace herald::capture {
namespace {

using nlohmann::json;

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

// Strict JSON number grammar: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
bool is_json_number(std::string_view s) {
  std::size_t i = 0;
  if (i < s.size() && s[i] == '-') ++i;
  if (i >= s.size() || !is_digit(s[i])) return false;
  if (s[i] == '0') {
    ++i;
  } else {
    while (i < s.size() && is_digit(s[i])) ++i;
  }
  if (i < s.size() && s[i] == '.') {
    ++i;
    if (i >= s.size() || !is_digit(s[i])) return false;
    while (i < s.size() && is_digit(s[i])) ++i;
  }
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
    if (i >= s.size() || !is_digit(s[i])) return false;
    while (i < s.size() && is_digit(s[i])) ++i;
  }
  return i == s.size();
}

json exact_binary(std::string_view text) {
  return json::binary(std::vector<std::uint8_t>(text.begin(), text.end()), kExactNumberSubtype);
}

std::optional<json> native_if_lossless(std::string_view text) {
  const char* first = text.data();
  const char* last = text.data() + text.size();
  const bool plain_integer = text.find_first_of(".eE") == std::string_view::npos;
  if (plain_integer) {
    std::int64_t signed_value = 0;
    if (std::from_chars(first, last, signed_value).ec == std::errc{}) return json(signed_value);
    std::uint64_t unsigned_value = 0;
    if (std::from_chars(first, last, unsigned_value).ec == std::errc{}) {
      return json(unsigned_value);
    }
  }
  double value = 0;
  if (std::from_chars(first, last, value).ec != std::errc{}) return std::nullopt;
  // Native only when it prints back as the very same text: a numeric's scale (42.50) and
  // PostgreSQL's spelling reach the event as they were written.
  json candidate(value);
  if (candidate.dump() != text) return std::nullopt;
  return candidate;
}

// Whether nlohmann (ensure_ascii off) would write `text` between quotes unchanged: no
// quote, backslash, control character or non-ASCII byte (which may be invalid UTF-8).
bool needs_no_escaping(std::string_view text) {
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte < 0x20 || byte >= 0x80 || c == '"' || c == '\\') return false;
  }
  return true;
}

template <typename Integer>
void append_integer(Integer value, std::string& out) {
  char digits[24];
  const auto end = std::to_chars(std::begin(digits), std::end(digits), value).ptr;
  out.append(digits, end);
}

// The common leaves (strings, integers, booleans, null) are written straight into `out`:
// json::dump() would build a serializer and a string for every leaf, which showed up as a
// large share of herald's CPU per event. Everything else goes through dump() as before.
void write_json(const json& value, std::string& out) {
  switch (value.type()) {
    case json::value_t::object: {
      out.push_back('{');
      bool first = true;
      for (const auto& [key, member] : value.items()) {
        if (!first) out.push_back(',');
        first = false;
        append_json_string(key, out);
        out.push_back(':');
        write_json(member, out);
      }
      out.push_back('}');
      break;
    }
    case json::value_t::array: {
      out.push_back('[');
      bool first = true;
      for (const auto& element : value) {
        if (!first) out.push_back(',');
        first = false;
        write_json(element, out);
      }
      out.push_back(']');
      break;
    }
    case json::value_t::string:
      append_json_string(value.get_ref<const std::string&>(), out);
      break;
    case json::value_t::number_integer:
      append_integer(value.get<std::int64_t>(), out);
      break;
    case json::value_t::number_unsigned:
      append_integer(value.get<std::uint64_t>(), out);
      break;
    case json::value_t::boolean:
      out += value.get<bool>() ? "true" : "false";
      break;
    case json::value_t::null:
      out += "null";
      break;
    default: {
      if (auto text = exact_number_text(value)) {
        out += *text;
      } else {
        out += value.dump(-1, ' ', false, json::error_handler_t::replace);
      }
      break;
    }
  }
}

// nlohmann's DOM builder, except that a number a double cannot hold exactly is kept as an
// exact number. The lexer hands number_float() the number's text, which is what we need;
// integers beyond uint64 also arrive there. (json_sax_dom_parser is nlohmann 3.11 API.)
class ExactDomBuilder : public nlohmann::detail::json_sax_dom_parser<json> {
 public:
  explicit ExactDomBuilder(json& target) : json_sax_dom_parser(target, false) {}

  bool number_float(double value, const std::string& text) {
    std::optional<json> exact = make_exact_number(text);
    if (exact && exact->is_binary()) return binary(exact->get_binary());
    return json_sax_dom_parser::number_float(value, text);
  }
};

}  // namespace

std::optional<json> make_exact_number(std::string_view text) {
  if (!is_json_number(text)) return std::nullopt;
  if (auto native = native_if_lossless(text)) return native;
  return exact_binary(text);
}

std::optional<std::string_view> exact_number_text(const json& value) {
  if (!value.is_binary()) return std::nullopt;
  const json::binary_t& bytes = value.get_binary();
  if (!bytes.has_subtype() || bytes.subtype() != kExactNumberSubtype) return std::nullopt;
  return std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size());
}

std::optional<double> number_as_double(const json& value) {
  if (value.is_number()) return value.get<double>();
  auto text = exact_number_text(value);
  if (!text) return std::nullopt;
  // strtod rather than from_chars: it saturates to +-HUGE_VAL instead of failing.
  std::string copy(*text);
  return std::strtod(copy.c_str(), nullptr);
}

std::string dump_json(const json& value) {
  std::string out;
  write_json(value, out);
  return out;
}

void append_json(const json& value, std::string& out) {
  write_json(value, out);
}

void append_json_string(std::string_view text, std::string& out) {
  if (needs_no_escaping(text)) {
    out.push_back('"');
    out += text;
    out.push_back('"');
  } else {
    out += json(std::string(text)).dump(-1, ' ', false, json::error_handler_t::replace);
  }
}

std::optional<json> parse_json_exact(std::string_view text) {
  json root;
  ExactDomBuilder builder(root);
  const bool ok = json::sax_parse(text.begin(), text.end(), &builder);
  if (!ok || builder.is_errored()) return std::nullopt;
  return root;
}

}  // namespace herald::capture
