#include "config/names.hpp"

#include <algorithm>
#include <charconv>

namespace herald::config {
namespace {

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v';
}
bool is_digit(char c) {
  return c >= '0' && c <= '9';
}
bool is_lower_identifier_char(char c) {
  return (c >= 'a' && c <= 'z') || is_digit(c) || c == '_';
}
bool is_durable_char(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || is_digit(c) || c == '_' || c == '-';
}

}  // namespace

std::optional<std::string> subject_problem(std::string_view subject, SubjectUse use) {
  if (subject.empty()) return "it is empty";
  for (const char c : subject) {
    if (is_space(c)) return "it contains whitespace";
  }
  std::size_t start = 0;
  for (;;) {
    const std::size_t dot = subject.find('.', start);
    const bool last = dot == std::string_view::npos;
    const std::string_view token =
        subject.substr(start, last ? std::string_view::npos : dot - start);
    if (token.empty()) return "it has an empty token (two dots in a row, or a dot at an end)";
    const bool has_wildcard = token.find_first_of("*>") != std::string_view::npos;
    if (has_wildcard && use == SubjectUse::Publish) {
      return "wildcards ('*', '>') are not allowed in a subject that is published to";
    }
    if (has_wildcard && token != "*" && !(token == ">" && last)) {
      return "'*' must be a whole token and '>' the whole last token";
    }
    if (last) break;
    start = dot + 1;
  }
  return std::nullopt;
}

std::optional<std::string> stream_problem(std::string_view name) {
  if (name.empty()) return "it is empty";
  for (const char c : name) {
    if (is_space(c) || c == '.' || c == '*' || c == '>' || c == '/' || c == '\\') {
      return "it must not contain whitespace, '.', '*', '>', '/' or '\\'";
    }
  }
  return std::nullopt;
}

std::optional<std::string> durable_problem(std::string_view name) {
  if (name.empty()) return "it is empty";
  for (const char c : name) {
    if (!is_durable_char(c)) return "use letters, digits, '_' and '-' only";
  }
  return std::nullopt;
}

std::optional<std::string> slot_problem(std::string_view name) {
  const bool valid_chars = std::all_of(name.begin(), name.end(), is_lower_identifier_char);
  if (name.empty() || name.size() > 63 || !valid_chars) {
    return "use lower-case letters, digits and '_', at most 63 characters";
  }
  return std::nullopt;
}

std::optional<std::string> publication_problem(std::string_view name) {
  const bool valid_chars = std::all_of(name.begin(), name.end(), is_lower_identifier_char);
  if (name.empty() || name.size() > 63 || !valid_chars || is_digit(name.front())) {
    return "use lower-case letters, digits and '_', not starting with a digit, at most 63 "
           "characters";
  }
  return std::nullopt;
}

std::string durable_from_handler(std::string_view handler) {
  std::string durable(handler);
  for (char& c : durable) {
    if (!is_durable_char(c)) c = '_';
  }
  return durable;
}

std::optional<ListenAddress> parse_listen(std::string_view text) {
  const std::size_t colon = text.rfind(':');
  if (colon == std::string_view::npos) return std::nullopt;
  std::string_view host = text.substr(0, colon);
  const std::string_view port_text = text.substr(colon + 1);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  } else if (host.find(':') != std::string_view::npos) {
    return std::nullopt;  // an IPv6 host must be bracketed
  }
  if (host.empty() || port_text.empty() ||
      !std::all_of(port_text.begin(), port_text.end(), is_digit)) {
    return std::nullopt;
  }
  int port = 0;
  const auto [end, error] =
      std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
  if (error != std::errc() || end != port_text.data() + port_text.size() || port < 1 ||
      port > 65535) {
    return std::nullopt;
  }
  return ListenAddress{std::string(host), port};
}

}  // namespace herald::config
