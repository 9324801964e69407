#include "cli/support_run_fixture.hpp"

#include <regex>
#include <sstream>

#include <fmt/format.h>
#include <fmt/ranges.h>

namespace herald::testing {

void HeraldRunTest::start_herald(const std::string& rules, const std::string& observer_keys) {
  config_.emplace(db_.url(), nats_url(), "");
  std::string text = rules;
  for (auto at = text.find("$PREFIX"); at != std::string::npos; at = text.find("$PREFIX", at)) {
    text.replace(at, 7, config_->prefix());
  }
  config_->rewrite(text, observer_keys);
  herald_.emplace(config_->path());
  ASSERT_TRUE(herald_->start()) << "config:\n" << config_->text();
}

std::vector<StreamMessage> HeraldRunTest::events(std::uint64_t count,
                                                 std::chrono::milliseconds timeout) {
  // herald did not come up (start_herald failed): there is nothing to wait for.
  if (::testing::Test::HasFatalFailure()) return {};
  if (!wait_for_stream_count(nats_url(), config_->stream(), count, timeout)) {
    auto n = stream_message_count(nats_url(), config_->stream());
    ADD_FAILURE() << "stream " << config_->stream() << " holds "
                  << (n ? std::to_string(*n) : std::string("no")) << " messages, expected " << count
                  << "; herald's log:\n"
                  << (herald_ ? herald_->log_tail() : std::string("(not started)"));
  }
  return read_stream(nats_url(), config_->stream());
}

std::vector<StreamMessage> HeraldRunTest::events_through_marker(const std::string& marker_table,
                                                                std::uint64_t expected_before) {
  const std::string marker =
      db_.scalar(fmt::format("INSERT INTO {} DEFAULT VALUES RETURNING id", marker_table))
          .value_or("?");
  auto messages = events(expected_before + 1);
  bool seen = false;
  for (const auto& m : messages) {
    // Published mutation events have "table": null.
    seen |= m.body.is_object() &&
            m.body.value("table", nlohmann::json()) == "public." + marker_table &&
            m.body["entity"]["id"].dump() == marker;
  }
  EXPECT_TRUE(seen) << "no event for marker row " << marker << " of " << marker_table << ":\n"
                    << describe(messages);
  return messages;
}

::testing::AssertionResult has_envelope(const StreamMessage& message,
                                        const EnvelopeExpectation& expected) {
  static const std::regex kId("^[0-9A-F]{16}-[0-9A-F]{4}$");
  static const std::regex kTimestamp(R"(^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$)");
  static const std::regex kLsn("^[0-9A-F]{1,8}/[0-9A-F]{1,8}$");
  const nlohmann::json& e = message.body;
  std::vector<std::string> problems;
  auto check = [&](bool ok, std::string what) {
    if (!ok) problems.push_back(std::move(what));
  };
  if (!e.is_object()) return ::testing::AssertionFailure() << "not a JSON object: " << message.data;

  const std::vector<std::string> keys{"id",        "event",     "entity_type", "operation",
                                      "entity_id", "entity",    "old",         "changed",
                                      "table",     "timestamp", "txid",        "lsn"};
  for (const auto& k : keys) check(e.contains(k), "missing key " + k);
  check(e.size() == keys.size(), fmt::format("{} keys, expected {}", e.size(), keys.size()));
  if (!problems.empty()) {
    return ::testing::AssertionFailure() << fmt::format("{}", fmt::join(problems, "; ")) << "\n"
                                         << e.dump(2);
  }

  const std::string id = e["id"].is_string() ? e["id"].get<std::string>() : "";
  check(std::regex_match(id, kId), "id '" + id + "' is not 16 hex digits, '-', 4 hex digits");
  check(message.msg_id == id, "Nats-Msg-Id '" + message.msg_id + "' differs from the id");
  check(e["event"] == expected.subject, "event is not " + expected.subject);
  check(message.subject == expected.subject, "published on " + message.subject);
  check(e["entity_type"] == expected.entity_type, "entity_type is not " + expected.entity_type);
  check(e["operation"] == expected.operation, "operation is not " + expected.operation);
  check(e["table"] == expected.table, "table is not " + expected.table);
  check(e["entity"].is_object(), "entity is not an object");
  check(e["changed"].is_array(), "changed is not an array");
  check(e["old"].is_null() || e["old"].is_object(), "old is neither null nor an object");
  const std::string ts = e["timestamp"].is_string() ? e["timestamp"].get<std::string>() : "";
  check(std::regex_match(ts, kTimestamp), "timestamp '" + ts + "' is not RFC 3339 UTC");
  check(e["txid"].is_number_unsigned() && e["txid"].get<std::uint64_t>() > 0,
        "txid is not a positive integer");
  const std::string lsn = e["lsn"].is_string() ? e["lsn"].get<std::string>() : "";
  check(std::regex_match(lsn, kLsn), "lsn '" + lsn + "' is not X/X in upper-case hex");
  if (std::regex_match(id, kId) && std::regex_match(lsn, kLsn)) {
    // The id starts with the commit LSN as 16 hex digits.
    check(std::stoull(id.substr(0, 16), nullptr, 16) == parse_lsn(lsn),
          "id does not start with the lsn " + lsn);
  }
  if (!problems.empty()) {
    return ::testing::AssertionFailure() << fmt::format("{}", fmt::join(problems, "; ")) << "\n"
                                         << e.dump(2);
  }
  return ::testing::AssertionSuccess();
}

std::uint64_t parse_lsn(const std::string& text) {
  static const std::regex kLsn("^([0-9A-Fa-f]{1,8})/([0-9A-Fa-f]{1,8})$");
  std::smatch parts;
  if (!std::regex_match(text, parts, kLsn)) return 0;
  return (std::stoull(parts[1].str(), nullptr, 16) << 32) |
         std::stoull(parts[2].str(), nullptr, 16);
}

std::string describe(const std::vector<StreamMessage>& messages) {
  std::ostringstream out;
  for (const auto& m : messages)
    out << "#" << m.sequence << " " << m.subject << " " << m.data << "\n";
  return out.str();
}

}  // namespace herald::testing
