#include "dispatch/commit_time.hpp"

#include <cctype>
#include <ctime>
#include <string>

namespace herald::dispatch {
namespace {

// Index just past the string starting at `at` (a '"'), or npos when it does not end.
std::size_t skip_string(std::string_view s, std::size_t at) {
  for (std::size_t i = at + 1; i < s.size(); ++i) {
    if (s[i] == '\\') {
      ++i;
    } else if (s[i] == '"') {
      return i + 1;
    }
  }
  return std::string_view::npos;
}

// The value of top-level key `key` when it is a string (its raw text, escapes kept).
std::optional<std::string_view> top_level_string(std::string_view s, std::string_view key) {
  int depth = 0;
  bool expect_key = false;
  for (std::size_t i = 0; i < s.size();) {
    const char c = s[i];
    if (c == '"') {
      const std::size_t end = skip_string(s, i);
      if (end == std::string_view::npos) return std::nullopt;
      if (depth == 1 && expect_key) {
        const std::string_view name = s.substr(i + 1, end - i - 2);
        std::size_t v = end;
        while (v < s.size() && (std::isspace(static_cast<unsigned char>(s[v])) || s[v] == ':')) ++v;
        if (name == key && v < s.size() && s[v] == '"') {
          const std::size_t value_end = skip_string(s, v);
          if (value_end == std::string_view::npos) return std::nullopt;
          return s.substr(v + 1, value_end - v - 2);
        }
        expect_key = false;
        i = v;
        continue;
      }
      i = end;
      continue;
    }
    if (c == '{' || c == '[') {
      ++depth;
      expect_key = depth == 1 && c == '{';
    } else if (c == '}' || c == ']') {
      --depth;
    } else if (c == ',' && depth == 1) {
      expect_key = true;
    }
    ++i;
  }
  return std::nullopt;
}

// "2026-03-02T14:00:00.123456Z"
std::optional<std::chrono::system_clock::time_point> parse_utc(std::string_view text) {
  if (text.size() < 20 || text.back() != 'Z') return std::nullopt;
  std::tm tm{};
  int fraction_digits = 0;
  long micros = 0;
  const std::string copy(text);
  int consumed = 0;
  if (std::sscanf(copy.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d%n", &tm.tm_year, &tm.tm_mon, &tm.tm_mday,
                  &tm.tm_hour, &tm.tm_min, &tm.tm_sec, &consumed) != 6 ||
      consumed != 19) {
    return std::nullopt;
  }
  std::size_t i = 19;
  if (copy[i] == '.') {
    for (++i; i < copy.size() && std::isdigit(static_cast<unsigned char>(copy[i])); ++i) {
      if (fraction_digits < 6) {
        micros = micros * 10 + (copy[i] - '0');
        ++fraction_digits;
      }
    }
  }
  if (i + 1 != copy.size()) return std::nullopt;
  for (; fraction_digits < 6; ++fraction_digits) micros *= 10;
  tm.tm_year -= 1900;
  tm.tm_mon -= 1;
  const std::time_t seconds = ::timegm(&tm);
  return std::chrono::system_clock::from_time_t(seconds) + std::chrono::microseconds(micros);
}

}  // namespace

std::optional<std::chrono::system_clock::time_point> event_commit_time(std::string_view payload) {
  auto text = top_level_string(payload, "timestamp");
  if (!text) text = top_level_string(payload, "time");
  if (!text) return std::nullopt;
  return parse_utc(*text);
}

}  // namespace herald::dispatch
