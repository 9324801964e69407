#pragma once
// The commit time of an encoded event, read back from its JSON: the retry worker only has
// the payload, and the delivery-latency histogram measures from the commit.

#include <chrono>
#include <optional>
#include <string_view>

namespace herald::dispatch {

// The top-level "timestamp" (fraiseql format) or "time" (CloudEvents) of `payload`, an
// RFC 3339 UTC time with up to 6 fraction digits; nullopt when there is none. Keys inside
// nested values (a column named "timestamp" in "entity") do not count.
std::optional<std::chrono::system_clock::time_point> event_commit_time(std::string_view payload);

}  // namespace herald::dispatch
