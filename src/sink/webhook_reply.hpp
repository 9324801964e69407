#pragma once
// What a webhook POST came back with, and what that means for the delivery (SPEC section
// 4). Pure functions of the reply and the clock, so the whole table is unit-tested.
//
//   2xx                                   Delivered
//   408, 429, 5xx                         Retry, with Retry-After (seconds or HTTP-date)
//   410                                   Disabled (the action stops until restart)
//   3xx                                   Permanent (redirects are not followed)
//   other 4xx                             Permanent
//   other statuses (1xx final, >= 600)    Retry
//   no response: timeout, refused, reset,
//     DNS, TLS, closed without answer     Retry (and counts against healthy())
//   unusable request (bad URL, protocol)  Permanent

#include <curl/curl.h>

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "sink/sink.hpp"

namespace herald::sink::webhook {

struct Reply {
  CURLcode transport = CURLE_OK;           // CURLE_OK: an HTTP response arrived
  std::string transport_error;             // libcurl's error buffer, already scrubbed of the URL
  long status = 0;                         // NOLINT(google-runtime-int): libcurl's type
  std::string body_head;                   // the first bytes of the response body
  std::optional<std::string> retry_after;  // the Retry-After header's value
  std::optional<std::string> location;     // the Location header's value
};

struct Verdict {
  Outcome outcome = Outcome::Delivered;
  std::string error;  // empty when delivered
  std::optional<std::chrono::milliseconds> retry_after;
  bool no_response = false;  // the target did not answer at all (connection-level failure)
};

// How many bytes of a response body an error quotes (for dead letters and logs).
inline constexpr std::size_t kBodyExcerptBytes = 200;

Verdict classify(const Reply& reply, std::chrono::system_clock::time_point now,
                 std::chrono::milliseconds timeout);

// Retry-After as a pause from `now`: delta-seconds, or an HTTP-date (a date in the past
// means no pause). nullopt when the value is neither.
std::optional<std::chrono::milliseconds> parse_retry_after(
    std::string_view value, std::chrono::system_clock::time_point now);

// At most kBodyExcerptBytes of `body`, cut on a UTF-8 character boundary, with control
// characters (newlines included) shown as spaces, so it fits on one log line.
std::string body_excerpt(std::string_view body);

}  // namespace herald::sink::webhook
