#pragma once
// NATS subject algebra the stream setup needs, and the server URLs (split, and redacted
// for logs). Pure
// functions: no connection involved, so they are unit-tested directly.
//
// Subjects are dot-separated tokens; `*` matches exactly one token, `>` (last token only)
// matches one or more.

#include <string>
#include <string_view>
#include <vector>

namespace herald::sink::nats {

// True when every subject `subject` can match is also matched by `pattern`
// ("orders.>" covers "orders.created" and "orders.*", not "orders").
bool subject_covers(std::string_view pattern, std::string_view subject);

// True when some concrete subject is matched by both ("a.*" and "a.b" overlap; "a.b" and
// "a.c" do not). JetStream refuses two streams whose subjects overlap.
bool subjects_overlap(std::string_view first, std::string_view second);

// The subjects in their order without duplicates and without any subject another one
// covers: what a stream needs to listen on to cover them all.
std::vector<std::string> minimal_subjects(const std::vector<std::string>& subjects);

// The URL(s) with any user:password@ or token@ removed, for logs and describe().
std::string redact_url(std::string_view url);

// The servers of a `nats_url` that lists several ("nats://a:4222, nats://b:4222"): each
// URL trimmed, empty entries dropped. nats.c takes such a list only as an array of URLs;
// given whole, it looks the text up as one host name and finds no server.
std::vector<std::string> server_urls(std::string_view url);

}  // namespace herald::sink::nats
