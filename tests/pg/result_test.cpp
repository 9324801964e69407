#include "pg/result.hpp"

#include <gtest/gtest.h>

#include <string>

namespace herald::pg {
namespace {

Error object_in_use() {
  Error error;
  error.kind = ErrorKind::Server;
  error.sqlstate = std::string(sqlstate::kObjectInUse);
  error.primary = "replication slot \"herald\" is active for PID 42";
  error.message = "cannot stream: " + error.primary;
  return error;
}

TEST(PgResult, CarriesTheServerFieldsOfAnError) {
  Result<int> failed = object_in_use();
  ASSERT_FALSE(failed.ok());
  EXPECT_TRUE(failed.error().has_sqlstate(sqlstate::kObjectInUse));
  EXPECT_FALSE(failed.error().has_sqlstate(sqlstate::kUndefinedFunction));
  EXPECT_FALSE(failed.error().connection_lost());
}

TEST(PgResult, ConvertsToHeraldResultKeepingTheMessage) {
  herald::Result<int> failed = Result<int>(object_in_use());
  ASSERT_FALSE(failed.ok());
  EXPECT_EQ(failed.error().message,
            "cannot stream: replication slot \"herald\" is active for PID 42");
  herald::Result<std::string> fine = Result<std::string>(std::string("value"));
  ASSERT_TRUE(fine.ok());
  EXPECT_EQ(*fine, "value");
  herald::Result<void> void_failed = Result<void>(make_usage_error("bad slot name"));
  ASSERT_FALSE(void_failed.ok());
  EXPECT_EQ(void_failed.error().message, "bad slot name");
  herald::Result<void> void_fine = Result<void>();
  EXPECT_TRUE(void_fine.ok());
}

TEST(PgResult, ErrorKindsOfTheFactories) {
  EXPECT_EQ(make_usage_error("x").kind, ErrorKind::Usage);
  EXPECT_EQ(make_protocol_error("y").kind, ErrorKind::Protocol);
  EXPECT_EQ(make_protocol_error("y").message, "y");
}

}  // namespace
}  // namespace herald::pg
