#pragma once
// Checks for the names herald hands to NATS, PostgreSQL and the HTTP listener. Each
// returns nothing when the name is fine, else why not (without repeating the name).

#include <optional>
#include <string>
#include <string_view>

namespace herald::config {

enum class SubjectUse { Publish, Subscribe };

// NATS subjects: dot-separated non-empty tokens without whitespace. A subscribe
// subject may use `*` as a whole token and `>` as the whole last token.
std::optional<std::string> subject_problem(std::string_view subject, SubjectUse use);
// JetStream stream: no whitespace, '.', '*', '>', '/', '\'.
std::optional<std::string> stream_problem(std::string_view name);
// Durable consumer: letters, digits, '_' and '-'.
std::optional<std::string> durable_problem(std::string_view name);
// Replication slot: lower-case letters, digits, underscore, at most 63 characters.
std::optional<std::string> slot_problem(std::string_view name);
// Publication: like a slot, and not starting with a digit (it is an identifier).
std::optional<std::string> publication_problem(std::string_view name);

// The durable derived from a handler: characters outside [A-Za-z0-9_-] become '_'.
std::string durable_from_handler(std::string_view handler);

struct ListenAddress {
  std::string host;
  int port = 0;
};
// "host:port" or "[v6]:port", port 1..65535.
std::optional<ListenAddress> parse_listen(std::string_view text);

}  // namespace herald::config
