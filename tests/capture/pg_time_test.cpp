// Commit times, timestamp columns and LSNs.

#include "capture/lsn.hpp"
#include "capture/pg_time.hpp"

#include <gtest/gtest.h>

namespace herald::capture {
namespace {

TEST(PgTime, CommitTimeFromPostgresEpoch) {
  EXPECT_EQ(format_rfc3339_utc(commit_time_from_pg(0)), "2000-01-01T00:00:00.000000Z");
  EXPECT_EQ(format_rfc3339_utc(commit_time_from_pg(825'775'200'123'456LL)),
            "2026-03-02T14:00:00.123456Z");
  EXPECT_EQ(format_rfc3339_utc(commit_time_from_pg(-1)), "1999-12-31T23:59:59.999999Z");
  EXPECT_EQ(format_rfc3339_utc(commit_time_from_pg(-946'684'800'000'000LL)),
            "1970-01-01T00:00:00.000000Z");
}

TEST(PgTime, ExtremeCommitTimesDoNotOverflow) {
  // Far outside PostgreSQL's range, but a damaged message may say so: print, don't crash.
  for (std::int64_t extreme : {INT64_MAX, INT64_MIN}) {
    const std::string text = format_rfc3339_utc(commit_time_from_pg(extreme));
    EXPECT_EQ(text.back(), 'Z') << text;
    EXPECT_NE(text.find('T'), std::string::npos) << text;
  }
}

TEST(PgTime, TimestamptzIsNormalisedToUtc) {
  EXPECT_EQ(timestamptz_to_rfc3339("2026-03-02 14:00:00+00"), "2026-03-02T14:00:00Z");
  EXPECT_EQ(timestamptz_to_rfc3339("2026-03-02 14:00:00.123456+00"), "2026-03-02T14:00:00.123456Z");
  EXPECT_EQ(timestamptz_to_rfc3339("2026-03-02 09:00:00-05"), "2026-03-02T14:00:00Z");
  EXPECT_EQ(timestamptz_to_rfc3339("2026-03-03 00:30:00+10:30"), "2026-03-02T14:00:00Z");
  EXPECT_EQ(timestamptz_to_rfc3339("1900-01-01 00:00:00+00:09:21"), "1899-12-31T23:50:39Z");
}

TEST(PgTime, TimestamptzCrossesDayMonthYearAndLeapDays) {
  EXPECT_EQ(timestamptz_to_rfc3339("2024-03-01 01:00:00+02"), "2024-02-29T23:00:00Z");
  EXPECT_EQ(timestamptz_to_rfc3339("2025-12-31 23:00:00-03"), "2026-01-01T02:00:00Z");
  EXPECT_EQ(timestamptz_to_rfc3339("0001-01-01 00:00:00+00"), "0001-01-01T00:00:00Z");
  EXPECT_EQ(timestamptz_to_rfc3339("10000-01-01 00:00:00+00"), "10000-01-01T00:00:00Z");
}

TEST(PgTime, NonIsoTimestamptzPassesThrough) {
  for (const char* text :
       {"infinity", "-infinity", "0044-03-15 12:00:00+00 BC", "Mon Mar 02 14:00:00 2026 UTC",
        "2026-02-30 00:00:00+00", "2026-03-02 25:00:00+00", "2026-03-02 14:00:00.+00",
        "0001-01-01 00:00:00+01"}) {
    EXPECT_EQ(timestamptz_to_rfc3339(text), text);
  }
}

TEST(PgTime, TimestampGetsATButNoZone) {
  EXPECT_EQ(timestamp_to_iso("2026-03-02 14:00:00"), "2026-03-02T14:00:00");
  EXPECT_EQ(timestamp_to_iso("2026-03-02 14:00:00.000001"), "2026-03-02T14:00:00.000001");
  EXPECT_EQ(timestamp_to_iso("12026-03-02 14:00:00"), "12026-03-02T14:00:00");
  EXPECT_EQ(timestamp_to_iso("infinity"), "infinity");
  EXPECT_EQ(timestamp_to_iso("2026-03-02 14:00:00 BC"), "2026-03-02 14:00:00 BC");
}

TEST(Lsn, FormatAndParse) {
  EXPECT_EQ(format_lsn(0x1A2B3C4), "0/1A2B3C4");
  EXPECT_EQ(format_lsn(0x100000000ULL | 0xFF), "1/FF");
  EXPECT_EQ(parse_lsn("0/1A2B3C4"), 0x1A2B3C4u);
  EXPECT_EQ(parse_lsn("16/B374D848"), 0x16B374D848ULL);
  EXPECT_FALSE(parse_lsn("0/").has_value());
  EXPECT_FALSE(parse_lsn("/1").has_value());
  EXPECT_FALSE(parse_lsn("1/2/3").has_value());
  EXPECT_FALSE(parse_lsn("x/1").has_value());
}

}  // namespace
}  // namespace herald::capture
