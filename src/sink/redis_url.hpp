#pragma once
// Where the Redis sink connects: `redis://[[user]:password@]host[:port][/db]`, as redis-cli
// and most clients spell it. The password (and user) are percent-decoded; a bare
// `:password@` authenticates as the default user (AUTH password), `user:password@` as an
// ACL user (AUTH user password). `rediss://` (TLS) is refused: hiredis 0.14 has no TLS.
//
// Errors never quote the URL: it may hold the password.

#include <string>
#include <string_view>

#include "common/result.hpp"

namespace herald::sink::redis {

struct Endpoint {
  std::string host;  // a name, an IPv4 address, or an IPv6 address without brackets
  int port = 6379;
  int db = 0;            // SELECTed after connecting when not 0
  std::string user;      // empty: the default user
  std::string password;  // empty: no AUTH

  // "host:port/db", IPv6 in brackets; never the credentials. For logs and describe().
  std::string label() const;
};

Result<Endpoint> parse_url(std::string_view url);

}  // namespace herald::sink::redis
