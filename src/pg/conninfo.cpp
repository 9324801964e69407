#include "pg/conninfo.hpp"

#include <cctype>

namespace herald::pg {
namespace {

bool is_space(char c) {
  return std::isspace(static_cast<unsigned char>(c)) != 0;
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string percent_decode(std::string_view text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%' && i + 2 < text.size() && hex_value(text[i + 1]) >= 0 &&
        hex_value(text[i + 2]) >= 0) {
      out.push_back(static_cast<char>(hex_value(text[i + 1]) * 16 + hex_value(text[i + 2])));
      i += 2;
    } else {
      out.push_back(text[i]);
    }
  }
  return out;
}

void add(std::vector<std::string>& out, std::string value) {
  if (!value.empty()) out.push_back(std::move(value));
}

// key = value pairs; values are bare words or single-quoted with \' and \\ escapes.
void scan_keyword_form(std::string_view s, std::vector<std::string>& out) {
  std::size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && is_space(s[i])) ++i;
    const std::size_t key_start = i;
    while (i < s.size() && s[i] != '=' && !is_space(s[i])) ++i;
    const std::string_view key = s.substr(key_start, i - key_start);
    while (i < s.size() && is_space(s[i])) ++i;
    if (i >= s.size() || s[i] != '=') continue;  // malformed; keep scanning for pairs
    ++i;
    while (i < s.size() && is_space(s[i])) ++i;
    std::string value;
    std::string raw;
    if (i < s.size() && s[i] == '\'') {
      ++i;
      while (i < s.size() && s[i] != '\'') {
        if (s[i] == '\\' && i + 1 < s.size()) {
          raw.push_back(s[i]);
          ++i;
        }
        raw.push_back(s[i]);
        value.push_back(s[i]);
        ++i;
      }
      ++i;
    } else {
      while (i < s.size() && !is_space(s[i])) {
        value.push_back(s[i]);
        ++i;
      }
      raw = value;
    }
    if (key == "password") {
      if (raw != value) add(out, raw);
      add(out, std::move(value));
    }
  }
}

void scan_uri_form(std::string_view s, std::vector<std::string>& out) {
  const std::size_t scheme_end = s.find("://");
  const std::size_t authority_start = scheme_end + 3;
  const std::size_t authority_end = s.find_first_of("/?", authority_start);
  const std::string_view authority = s.substr(
      authority_start, authority_end == std::string_view::npos ? std::string_view::npos
                                                               : authority_end - authority_start);
  const std::size_t at = authority.rfind('@');
  if (at != std::string_view::npos) {
    const std::string_view userinfo = authority.substr(0, at);
    const std::size_t colon = userinfo.find(':');
    if (colon != std::string_view::npos) {
      const std::string_view password = userinfo.substr(colon + 1);
      add(out, std::string(password));
      add(out, percent_decode(password));
    }
  }
  const std::size_t query = s.find('?', authority_start);
  if (query == std::string_view::npos) return;
  std::string_view rest = s.substr(query + 1);
  while (!rest.empty()) {
    const std::size_t amp = rest.find('&');
    const std::string_view pair = rest.substr(0, amp);
    if (pair.substr(0, 9) == "password=") {
      add(out, std::string(pair.substr(9)));
      add(out, percent_decode(pair.substr(9)));
    }
    if (amp == std::string_view::npos) break;
    rest = rest.substr(amp + 1);
  }
}

}  // namespace

std::vector<std::string> passwords_in_conninfo(std::string_view conninfo) {
  std::vector<std::string> out;
  const bool is_uri =
      conninfo.substr(0, 13) == "postgresql://" || conninfo.substr(0, 11) == "postgres://";
  if (is_uri) {
    scan_uri_form(conninfo, out);
  } else {
    scan_keyword_form(conninfo, out);
  }
  return out;
}

std::string redact_passwords(std::string_view message, std::string_view conninfo) {
  std::string out(message);
  for (const std::string& password : passwords_in_conninfo(conninfo)) {
    std::size_t at = 0;
    while ((at = out.find(password, at)) != std::string::npos) {
      out.replace(at, password.size(), "********");
      at += 8;
    }
  }
  return out;
}

}  // namespace herald::pg
