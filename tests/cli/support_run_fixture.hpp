#pragma once
// The fixture of the `herald run` tests on shared servers: a database of the test's own, a
// config with names of its own, `herald run` as a child, and the stream read back.

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <vector>

#include "cli/support_herald.hpp"
#include "cli/support_stream_reader.hpp"
#include "support/servers.hpp"

namespace herald::testing {

class HeraldRunTest : public ::testing::Test {
 protected:
  // Writes the config (rules as [[observers]] blocks, where "$PREFIX" stands for the
  // test's subject prefix) and starts `herald run`. Callers ASSERT_NO_FATAL_FAILURE or
  // check herald_->running(): the test should stop when herald does not come up.
  void start_herald(const std::string& rules, const std::string& observer_keys = "");

  // The stream's messages once it holds at least `count`; fails the test (with herald's
  // log) when they do not arrive in time.
  std::vector<StreamMessage> events(std::uint64_t count,
                                    std::chrono::milliseconds timeout = std::chrono::seconds(20));

  // Proves that nothing was published for the writes made so far: commits a marker row
  // into `marker_table` (observed by an INSERT rule, with an `id` column) and returns the
  // stream once the marker's event is in. Events arrive in commit order, so any event of
  // an earlier write would sit before it: the caller expects exactly `expected_before`
  // events before the marker.
  std::vector<StreamMessage> events_through_marker(const std::string& marker_table,
                                                   std::uint64_t expected_before);

  std::string nats_url() const { return SharedServers::get().nats().url(); }
  const std::string& prefix() const { return config_->prefix(); }

  TestDatabase db_;
  std::optional<HeraldConfig> config_;
  // Declared last: stopped before the database is dropped.
  std::optional<HeraldProcess> herald_;
};

// Checks the envelope of SPEC section 3 around `entity`: id format and Nats-Msg-Id, subject,
// entity type, operation, table, timestamp, txid, lsn (the id starts with it). The failure
// names every mismatch and prints the event.
struct EnvelopeExpectation {
  std::string subject;
  std::string entity_type;
  std::string operation;  // created | updated | deleted
  std::string table;      // "public.tb_x"
};
::testing::AssertionResult has_envelope(const StreamMessage& message,
                                        const EnvelopeExpectation& expected);

// "16/B374D848" -> its 64-bit value (0 when malformed).
std::uint64_t parse_lsn(const std::string& text);

// The events' bodies, for messages that print the whole stream.
std::string describe(const std::vector<StreamMessage>& messages);

}  // namespace herald::testing
