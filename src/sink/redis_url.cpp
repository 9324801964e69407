#include "sink/redis_url.hpp"

#include <charconv>
#include <limits>

#include <fmt/format.h>

namespace herald::sink::redis {

namespace {

constexpr std::string_view kScheme = "redis://";
constexpr int kMaxPort = 65535;

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// %XX escapes, so a password may hold '@', ':' or '/'.
Result<std::string> percent_decode(std::string_view text, std::string_view what) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '%') {
      out.push_back(text[i]);
      continue;
    }
    const bool complete = i + 2 < text.size();
    const int high = complete ? hex_value(text[i + 1]) : -1;
    const int low = complete ? hex_value(text[i + 2]) : -1;
    if (high < 0 || low < 0) {
      return make_error(fmt::format("redis URL: the {} has a malformed %-escape", what));
    }
    out.push_back(static_cast<char>(high * 16 + low));
    i += 2;
  }
  return out;
}

Result<int> parse_number(std::string_view text, int max, std::string_view what) {
  int value = 0;
  const auto* end = text.data() + text.size();
  const auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (text.empty() || ec != std::errc() || ptr != end || value < 0 || value > max) {
    return make_error(
        fmt::format("redis URL: the {} \"{}\" is not a number from 0 to {}", what, text, max));
  }
  return value;
}

// "host", "host:port", "[v6]" or "[v6]:port".
Result<void> parse_host_port(std::string_view text, Endpoint& endpoint) {
  std::string_view port_text;
  if (!text.empty() && text.front() == '[') {
    const auto close = text.find(']');
    if (close == std::string_view::npos)
      return make_error("redis URL: an unclosed '[' in the host");
    endpoint.host = std::string(text.substr(1, close - 1));
    const std::string_view rest = text.substr(close + 1);
    if (!rest.empty() && rest.front() != ':') {
      return make_error("redis URL: unexpected text after the bracketed host");
    }
    if (!rest.empty()) port_text = rest.substr(1);
  } else {
    const auto colon = text.rfind(':');
    endpoint.host = std::string(text.substr(0, colon));
    if (colon != std::string_view::npos) port_text = text.substr(colon + 1);
  }
  if (endpoint.host.empty()) return make_error("redis URL: the host is missing");
  if (!port_text.empty()) {
    auto port = parse_number(port_text, kMaxPort, "port");
    if (!port) return port.error();
    if (*port == 0) return make_error("redis URL: the port must not be 0");
    endpoint.port = *port;
  }
  return {};
}

}  // namespace

std::string Endpoint::label() const {
  const bool v6 = host.find(':') != std::string::npos;
  return v6 ? fmt::format("[{}]:{}/{}", host, port, db) : fmt::format("{}:{}/{}", host, port, db);
}

Result<Endpoint> parse_url(std::string_view url) {
  if (url.rfind("rediss://", 0) == 0) {
    return make_error("redis URL: rediss:// (TLS) is not supported: hiredis 0.14 has no TLS");
  }
  if (url.rfind(kScheme, 0) != 0) {
    return make_error(
        "redis URL must start with redis:// (redis://[user:password@]host:port[/db])");
  }
  std::string_view rest = url.substr(kScheme.size());
  if (rest.find_first_of("?#") != std::string_view::npos) {
    return make_error("redis URL: query parameters and fragments are not supported");
  }
  Endpoint endpoint;
  // The last '@' ends the credentials: an unescaped '@' in a password still parses.
  if (const auto at = rest.rfind('@'); at != std::string_view::npos) {
    const std::string_view userinfo = rest.substr(0, at);
    rest = rest.substr(at + 1);
    const auto colon = userinfo.find(':');
    if (colon == std::string_view::npos) {
      // A lone word is read as a user by some clients and as a password by others.
      return make_error("redis URL: credentials must be written user:password@ or :password@");
    }
    {
      auto user = percent_decode(userinfo.substr(0, colon), "user");
      if (!user) return user.error();
      auto password = percent_decode(userinfo.substr(colon + 1), "password");
      if (!password) return password.error();
      endpoint.user = std::move(user).value();
      endpoint.password = std::move(password).value();
    }
    if (!endpoint.user.empty() && endpoint.password.empty()) {
      return make_error("redis URL: a user without a password");
    }
  }
  const auto slash = rest.find('/');
  if (auto parsed = parse_host_port(rest.substr(0, slash), endpoint); !parsed) {
    return parsed.error();
  }
  if (slash != std::string_view::npos && slash + 1 < rest.size()) {
    auto db = parse_number(rest.substr(slash + 1), std::numeric_limits<int>::max(), "database");
    if (!db) return db.error();
    endpoint.db = *db;
  }
  return endpoint;
}

}  // namespace herald::sink::redis
