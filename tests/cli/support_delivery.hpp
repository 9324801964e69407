#pragma once
// The fixture of the delivery tests: `herald run` on the shared servers, delivering to a
// webhook receiver the test scripts (tests/sink/webhook_test_receiver.hpp) or to Redis,
// and the `herald dlq` commands on the same config.

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "cli/support_herald.hpp"
#include "sink/webhook_test_receiver.hpp"
#include "support/servers.hpp"

namespace herald::testing {

// A retry policy as [observers.actions.retry] lines.
struct Retry {
  int max_attempts = 10;
  int initial_delay_ms = 100;
  int max_delay_ms = 5000;
  std::string backoff = "fixed";

  std::string toml() const;
};

// One [[observers]] rule on `table` (INSERT and UPDATE) with one webhook action to `url`;
// `action_keys` are extra lines of the action (timeout_ms, secret_env, headers, ...).
std::string webhook_rule(const std::string& table, const std::string& url, const Retry& retry,
                         const std::string& action_keys = "");

class DeliveryTest : public ::testing::Test {
 protected:
  // Writes fraiseql.toml: [database], [observers] with `backend`, the shared NATS and Redis
  // URLs and names of the test's own, `observer_keys` under [observers], then `sections`
  // (rules, [server], ...). "$PREFIX" in `sections` stands for the subject prefix.
  void write_config(const std::string& sections, const std::string& backend = "webhook",
                    const std::string& observer_keys = "");
  // write_config, then `herald run` (ASSERT_NO_FATAL_FAILURE it).
  void start_herald(const std::string& sections, const std::string& backend = "webhook",
                    const std::string& observer_keys = "");

  // `herald <args...> -c <config>`.
  CommandResult herald_command(std::vector<std::string> args);
  // `herald dlq list --json`, parsed (fails the test when the command fails).
  nlohmann::json dead_letters();
  // Rows in herald.retries / herald.dead_letters.
  long long retry_rows();
  long long dead_letter_rows();

  // Waits for `condition`, failing with herald's log when it does not come.
  template <class Condition>
  ::testing::AssertionResult wait_until(Condition&& condition, std::chrono::milliseconds timeout,
                                        const std::string& what);

  // The subject prefix (derived subjects are "<prefix>.<entity>.<op>").
  const std::string& prefix() const { return names_.prefix; }
  std::string herald_log() const;

  TestDatabase db_;
  CaptureNames names_ = CaptureNames::unique();
  TempDir dir_{"herald-delivery-test-"};
  std::filesystem::path config_path_ = dir_.path() / "fraiseql.toml";
  std::string config_text_;
  // Redis for the config when the test runs its own server (else the shared one).
  std::optional<std::string> redis_url_;
  // Declared last: stopped before the database is dropped.
  std::optional<HeraldProcess> herald_;
};

template <class Condition>
::testing::AssertionResult DeliveryTest::wait_until(Condition&& condition,
                                                    std::chrono::milliseconds timeout,
                                                    const std::string& what) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (static_cast<bool>(condition())) return ::testing::AssertionSuccess();
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  if (static_cast<bool>(condition())) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure()
         << what << " did not happen within " << timeout.count() << " ms; herald's log:\n"
         << herald_log();
}

// The requests' bodies as JSON (null for a body that is not JSON).
nlohmann::json body_of(const ReceivedRequest& request);
// The requests answered with a 2xx status.
std::vector<ReceivedRequest> delivered(const std::vector<ReceivedRequest>& requests);
// Milliseconds between consecutive requests.
std::vector<long long> gaps_ms(const std::vector<ReceivedRequest>& requests);
// The requests, one line each (status, webhook-id, body), for failure messages.
std::string describe(const std::vector<ReceivedRequest>& requests);

// GET http://127.0.0.1:<port><target>: status and body (status 0 when nothing answered).
struct HttpAnswer {
  long status = 0;
  std::string body;
};
HttpAnswer http_get(std::uint16_t port, const std::string& target);

// The value of one Prometheus series, e.g. metric_value(page, "herald_deliveries_total",
// {{"outcome", "delivered"}}): the sum over series whose labels include those given;
// nullopt when none matches.
std::optional<double> metric_value(const std::string& page, const std::string& name,
                                   const std::vector<std::pair<std::string, std::string>>& labels);

}  // namespace herald::testing
