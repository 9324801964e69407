#include "pg/lsn.hpp"

#include <gtest/gtest.h>

namespace herald::pg {
namespace {

TEST(Lsn, ParsesBothHalves) {
  EXPECT_EQ(Lsn::parse("0/0"), Lsn(0));
  EXPECT_EQ(Lsn::parse("0/1A2B3C4"), Lsn(0x1A2B3C4));
  EXPECT_EQ(Lsn::parse("16/B374D848"), Lsn(0x16'B374D848ULL));
  EXPECT_EQ(Lsn::parse("FFFFFFFF/FFFFFFFF"), Lsn(~0ULL));
  EXPECT_EQ(Lsn::parse("16/b374d848"), Lsn(0x16'B374D848ULL));  // pg_lsn accepts lowercase
  EXPECT_EQ(Lsn::parse("00000001/00000002"), Lsn(0x1'00000002ULL));
}

TEST(Lsn, RejectsMalformedText) {
  for (const char* text : {"", "/", "0/", "/0", "0", "0/0/0", "G/0", "0/x1", " 0/1", "0/1 ", "-1/0",
                           "+1/0", "123456789/0", "0/123456789"}) {
    EXPECT_FALSE(Lsn::parse(text).has_value()) << text;
  }
}

TEST(Lsn, FormatsLikePostgresql) {
  EXPECT_EQ(Lsn(0).to_string(), "0/0");
  EXPECT_EQ(Lsn(0x1A2B3C4).to_string(), "0/1A2B3C4");
  EXPECT_EQ(Lsn(0x16'B374D848ULL).to_string(), "16/B374D848");
  EXPECT_EQ(Lsn(0x1'00000000ULL).to_string(), "1/0");
  EXPECT_EQ(Lsn(~0ULL).to_string(), "FFFFFFFF/FFFFFFFF");
}

TEST(Lsn, RoundTrips) {
  for (std::uint64_t value : {0ULL, 1ULL, 0xFFFFFFFFULL, 0x1'00000000ULL, 0xDEADBEEF'CAFEF00DULL}) {
    const auto parsed = Lsn::parse(Lsn(value).to_string());
    ASSERT_TRUE(parsed.has_value());
    EXPECT_EQ(parsed->value(), value);
  }
}

TEST(Lsn, OrdersByPositionNotByText) {
  // "9/0" < "10/0" as positions although not as strings.
  EXPECT_LT(*Lsn::parse("9/0"), *Lsn::parse("10/0"));
  EXPECT_LT(*Lsn::parse("0/FFFFFFFF"), *Lsn::parse("1/0"));
  EXPECT_EQ(*Lsn::parse("A/B"), *Lsn::parse("a/b"));
  EXPECT_GT(Lsn(2), Lsn(1));
  EXPECT_TRUE(Lsn().is_zero());
  EXPECT_FALSE(Lsn(1).is_zero());
}

}  // namespace
}  // namespace herald::pg
