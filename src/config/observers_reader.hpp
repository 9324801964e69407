#pragma once
// Readers for the [observers] part of the file. Internal to the config module.

#include <array>
#include <string_view>

#include <toml++/toml.h>

#include "config/config.hpp"
#include "config/table_reader.hpp"

namespace herald::config {

// [observers] with its retry, dlq, rules, publish and subscribe lists.
void read_observers(LoadContext& context, const toml::table& table, Observers& observers);

// The keys of [observers.retry] and of an action's retry table.
inline constexpr std::array<std::string_view, 4> kRetryKeys = {"max_attempts", "initial_delay_ms",
                                                               "max_delay_ms", "backoff"};

// One [[observers]] rule with its actions; `retry` is the policy actions inherit.
Rule read_rule(LoadContext& context, const toml::table& table, const RetryPolicy& retry);

// A retry table's keys over `base`; checks initial <= max on the result.
RetryPolicy read_retry(const TableReader& reader, RetryPolicy base);

// Checks that need the whole [observers] section: does every rule, publish and
// subscribe entry have a way to be delivered (nats_url, redis_url, actions)?
struct DeliveryTargets {
  // A URL is set, or its key is present but already reported as broken (so a missing
  // environment variable gives one error, not one more per rule).
  bool nats = false;
  bool redis = false;
  bool backend_known = true;  // false when 'backend' was already reported as unknown
};
void check_delivery_targets(Diagnostics& diagnostics, const Observers& observers,
                            const DeliveryTargets& targets);

// `invalid NATS subject "a..b": it has an empty token ...`, at the value; false if invalid.
bool check_subject(const TableReader& reader, std::string_view key, const std::string& subject,
                   bool allow_wildcards);

}  // namespace herald::config
