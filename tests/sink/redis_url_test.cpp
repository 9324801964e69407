// Parsing the Redis sink's URL: credentials, port, database, IPv6, and errors that never
// quote the password.

#include <gtest/gtest.h>

#include "sink/redis_url.hpp"

namespace herald::sink::redis {
namespace {

Endpoint parsed(std::string_view url) {
  auto endpoint = parse_url(url);
  EXPECT_TRUE(endpoint) << url << ": " << (endpoint ? "" : endpoint.error().message);
  return endpoint ? *endpoint : Endpoint{};
}

std::string error_of(std::string_view url) {
  auto endpoint = parse_url(url);
  EXPECT_FALSE(endpoint) << url << " parsed";
  return endpoint ? "" : endpoint.error().message;
}

TEST(RedisUrl, HostAloneTakesTheDefaultPortAndDatabase) {
  const Endpoint e = parsed("redis://localhost");
  EXPECT_EQ(e.host, "localhost");
  EXPECT_EQ(e.port, 6379);
  EXPECT_EQ(e.db, 0);
  EXPECT_EQ(e.user, "");
  EXPECT_EQ(e.password, "");
  EXPECT_EQ(e.label(), "localhost:6379/0");
}

TEST(RedisUrl, PortAndDatabase) {
  const Endpoint e = parsed("redis://127.0.0.1:7000/3");
  EXPECT_EQ(e.host, "127.0.0.1");
  EXPECT_EQ(e.port, 7000);
  EXPECT_EQ(e.db, 3);
  EXPECT_EQ(parsed("redis://h:1/").db, 0);
}

TEST(RedisUrl, PasswordAloneIsTheDefaultUser) {
  const Endpoint e = parsed("redis://:s3cret@h:6380");
  EXPECT_EQ(e.user, "");
  EXPECT_EQ(e.password, "s3cret");
  EXPECT_EQ(e.label(), "h:6380/0");
}

TEST(RedisUrl, AclUserAndPercentEncodedPassword) {
  const Endpoint e = parsed("redis://herald:p%40ss%3Aw%2Fd@h:1/2");
  EXPECT_EQ(e.user, "herald");
  EXPECT_EQ(e.password, "p@ss:w/d");
  EXPECT_EQ(e.host, "h");
  EXPECT_EQ(e.label(), "h:1/2");
}

TEST(RedisUrl, AnUnescapedAtInThePasswordStillParses) {
  const Endpoint e = parsed("redis://:a@b@h:1");
  EXPECT_EQ(e.password, "a@b");
  EXPECT_EQ(e.host, "h");
}

TEST(RedisUrl, BracketedIpv6) {
  const Endpoint e = parsed("redis://[::1]:6390/1");
  EXPECT_EQ(e.host, "::1");
  EXPECT_EQ(e.port, 6390);
  EXPECT_EQ(e.label(), "[::1]:6390/1");
  EXPECT_EQ(parsed("redis://[::1]").port, 6379);
}

TEST(RedisUrl, RejectsWhatItCannotServe) {
  EXPECT_NE(error_of("rediss://h:1").find("TLS"), std::string::npos);
  EXPECT_NE(error_of("http://h:1").find("redis://"), std::string::npos);
  EXPECT_NE(error_of("redis://h:1?db=2").find("query"), std::string::npos);
  EXPECT_NE(error_of("redis://h:0").find("port"), std::string::npos);
  EXPECT_NE(error_of("redis://h:99999").find("port"), std::string::npos);
  EXPECT_NE(error_of("redis://h:x1").find("port"), std::string::npos);
  EXPECT_NE(error_of("redis://h:1/x").find("database"), std::string::npos);
  EXPECT_NE(error_of("redis://:1").find("host"), std::string::npos);
  EXPECT_NE(error_of("redis://[::1:1").find("'['"), std::string::npos);
}

TEST(RedisUrl, CredentialErrorsNeverQuoteThePassword) {
  const std::string lone = error_of("redis://topsecret@h:1");
  EXPECT_NE(lone.find("user:password@"), std::string::npos);
  EXPECT_EQ(lone.find("topsecret"), std::string::npos);
  const std::string escape = error_of("redis://u:topsecret%zz@h:1");
  EXPECT_NE(escape.find("password"), std::string::npos);
  EXPECT_EQ(escape.find("topsecret"), std::string::npos);
  const std::string no_password = error_of("redis://u:@h:1");
  EXPECT_NE(no_password.find("without a password"), std::string::npos);
}

}  // namespace
}  // namespace herald::sink::redis
