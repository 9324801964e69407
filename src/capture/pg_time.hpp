#pragma once
// Time values from pgoutput.
//
// Commit times arrive as microseconds since 2000-01-01 UTC (PostgreSQL's epoch); herald
// holds them as a sys_time and prints them as RFC 3339 UTC with six fraction digits
// ("2026-03-02T14:00:00.123456Z"), the event's `timestamp`.
//
// Column values arrive as text in the session's DateStyle/TimeZone. The decision:
//  - timestamptz becomes RFC 3339 in UTC with a "Z" whatever the server's TimeZone
//    ("2026-03-02 16:00:00.5+02" -> "2026-03-02T14:00:00.5Z"), fraction digits as sent;
//    one spelling per instant, so consumers can compare strings;
//  - timestamp (no zone) becomes "2026-03-02T14:00:00.5" (no offset: it has none);
//  - text that is not ISO style (DateStyle other than ISO, BC dates, years beyond what
//    std::chrono holds, 'infinity') is passed through unchanged rather than guessed at.
// The replication connection should still set DateStyle=ISO (and TimeZone=UTC).

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

namespace herald::capture {

using CommitTime = std::chrono::sys_time<std::chrono::microseconds>;

CommitTime commit_time_from_pg(std::int64_t microseconds_since_2000);
std::string format_rfc3339_utc(CommitTime time);

std::string timestamptz_to_rfc3339(std::string_view text);
std::string timestamp_to_iso(std::string_view text);

}  // namespace herald::capture
