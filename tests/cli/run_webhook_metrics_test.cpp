// /metrics of `herald run` counts every delivery, those the retry worker makes included
// (SPEC section 8): deliveries by outcome, dead letters, and the latency histogram.

#include <gtest/gtest.h>

#include <fstream>

#include <fmt/format.h>

#include "cli/support_delivery.hpp"
#include "support/net.hpp"

namespace herald::testing {
namespace {

using namespace std::chrono_literals;

class WebhookMetricsTest : public DeliveryTest {};

TEST_F(WebhookMetricsTest, RetriedDeliveriesAndTheirDeadLettersAreCounted) {
  WebhookTestReceiver receiver;
  // Event 1: two failures, then the retry worker delivers it.
  receiver.script({ScriptedResponse::with_status(500), ScriptedResponse::with_status(500)});
  db_.exec("CREATE TABLE tb_order (id int PRIMARY KEY, note text)");
  std::ofstream(dir_.path() / "schema.graphql") << "type Query { ping: String }\n";
  const std::uint16_t port = pick_free_port();
  ASSERT_NO_FATAL_FAILURE(start_herald(
      "[[observers]]\nname = \"orders\"\ntable = \"tb_order\"\nevent = \"INSERT\"\n\n"
      "[[observers.actions]]\ntype = \"webhook\"\nurl = \"" +
      receiver.url() + "\"\n" + Retry{5, 100, 1000, "fixed"}.toml() +
      fmt::format("\n[server]\nlisten = \"127.0.0.1:{}\"\nschema = \"schema.graphql\"\n", port)));

  db_.exec("INSERT INTO tb_order VALUES (1, 'retried')");
  ASSERT_TRUE(
      wait_until([&] { return delivered(receiver.requests()).size() == 1 && retry_rows() == 0; },
                 20s, "event 1's delivery by the retry worker"));
  // Event 3: one failure, then a 400 from the retry worker: a dead letter.
  receiver.script({ScriptedResponse::with_status(503), ScriptedResponse::with_status(400)});
  db_.exec("INSERT INTO tb_order VALUES (3, 'dead')");
  ASSERT_TRUE(wait_until([&] { return dead_letter_rows() == 1 && retry_rows() == 0; }, 20s,
                         "event 3's dead letter"));
  // Event 2: delivered at once.
  db_.exec("INSERT INTO tb_order VALUES (2, 'direct')");
  ASSERT_TRUE(wait_until([&] { return delivered(receiver.requests()).size() == 2; }, 20s,
                         "event 2's delivery"));

  const std::vector<std::pair<std::string, std::string>> orders{{"rule", "orders"},
                                                                {"action", "0"}};
  auto series = [&](const std::string& page, const std::string& name, const char* outcome) {
    auto labels = orders;
    if (outcome != nullptr) labels.emplace_back("outcome", outcome);
    return metric_value(page, name, labels).value_or(-1);
  };
  std::string page;
  // Counters move right after the database is updated: wait for the last one.
  const bool settled = static_cast<bool>(eventually(
      [&] {
        page = http_get(port, "/metrics").body;
        return series(page, "herald_deliveries_total", "delivered") == 2 &&
               series(page, "herald_deliveries_total", "dead") == 1;
      },
      10s, 50ms));
  EXPECT_TRUE(settled) << page << "\nherald's log:\n" << herald_log();
  EXPECT_EQ(series(page, "herald_deliveries_total", "delivered"), 2) << "1 at once, 1 retried";
  EXPECT_EQ(series(page, "herald_deliveries_total", "retry"), 3)
      << "500, 500 (event 1) and 503 (event 3)";
  EXPECT_EQ(series(page, "herald_deliveries_total", "parked"), 2);
  EXPECT_EQ(series(page, "herald_deliveries_total", "failed"), 1) << "the 400";
  EXPECT_EQ(series(page, "herald_deliveries_total", "dead"), 1);
  EXPECT_EQ(series(page, "herald_dead_letters_total", nullptr), 1);
  EXPECT_EQ(series(page, "herald_delivery_latency_seconds_count", nullptr), 2) << page;
  EXPECT_EQ(metric_value(page, "herald_events_captured_total", {{"rule", "orders"}}), 3);
  // Event 1 waited for two retries (about 200 ms): its latency is at least that.
  EXPECT_GE(series(page, "herald_delivery_latency_seconds_sum", nullptr), 0.15) << page;
}

}  // namespace
}  // namespace herald::testing
