// The Prometheus text exposition format 0.0.4, checked as exact text.
#include <gtest/gtest.h>

#include <limits>
#include <thread>
#include <vector>

#include "common/metrics.hpp"

namespace herald::metrics {
namespace {

TEST(Metrics, CounterAndGaugeRenderWithHelpTypeAndLabels) {
  Registry registry;
  auto& sent = registry.counter("app_sent_total", "Messages sent.", {"rule", "outcome"});
  auto& depth = registry.gauge("app_depth", "Queue depth.");
  sent.with({"orders", "ok"}).inc(3);
  sent.with({"orders", "failed"}).inc();
  depth.with({}).set(2.5);
  EXPECT_EQ(registry.render(),
            "# HELP app_sent_total Messages sent.\n"
            "# TYPE app_sent_total counter\n"
            "app_sent_total{rule=\"orders\",outcome=\"failed\"} 1\n"
            "app_sent_total{rule=\"orders\",outcome=\"ok\"} 3\n"
            "# HELP app_depth Queue depth.\n"
            "# TYPE app_depth gauge\n"
            "app_depth 2.5\n");
}

TEST(Metrics, LabelValuesAndHelpAreEscaped) {
  Registry registry;
  auto& family = registry.counter("x_total", "Back\\slash and\nnewline.", {"name"});
  family.with({"a\"b\\c\nd"}).inc();
  EXPECT_EQ(registry.render(),
            "# HELP x_total Back\\\\slash and\\nnewline.\n"
            "# TYPE x_total counter\n"
            "x_total{name=\"a\\\"b\\\\c\\nd\"} 1\n");
}

TEST(Metrics, HistogramBucketsAreCumulativeWithSumAndCount) {
  Registry registry;
  auto& latency = registry.histogram("lat_seconds", "Latency.", {0.01, 0.1, 1}, {"rule"});
  auto& orders = latency.with({"orders"});
  orders.observe(0.005);
  orders.observe(0.01);  // le is inclusive
  orders.observe(0.5);
  orders.observe(7);
  EXPECT_EQ(registry.render(),
            "# HELP lat_seconds Latency.\n"
            "# TYPE lat_seconds histogram\n"
            "lat_seconds_bucket{rule=\"orders\",le=\"0.01\"} 2\n"
            "lat_seconds_bucket{rule=\"orders\",le=\"0.1\"} 2\n"
            "lat_seconds_bucket{rule=\"orders\",le=\"1\"} 3\n"
            "lat_seconds_bucket{rule=\"orders\",le=\"+Inf\"} 4\n"
            "lat_seconds_sum{rule=\"orders\"} 7.515\n"
            "lat_seconds_count{rule=\"orders\"} 4\n");
}

TEST(Metrics, UnlabeledHistogramHasOnlyLe) {
  Registry registry;
  registry.histogram("h", "H.", {1}).with({}).observe(2);
  EXPECT_EQ(registry.render(),
            "# HELP h H.\n# TYPE h histogram\nh_bucket{le=\"1\"} 0\nh_bucket{le=\"+Inf\"} 1\n"
            "h_sum 2\nh_count 1\n");
}

TEST(Metrics, SpecialValuesUsePrometheusSpelling) {
  EXPECT_EQ(format_value(std::numeric_limits<double>::infinity()), "+Inf");
  EXPECT_EQ(format_value(-std::numeric_limits<double>::infinity()), "-Inf");
  EXPECT_EQ(format_value(std::numeric_limits<double>::quiet_NaN()), "NaN");
  EXPECT_EQ(format_value(0.001), "0.001");
  EXPECT_EQ(format_value(60), "60");
}

TEST(Metrics, SameLabelsGiveTheSameSeries) {
  Registry registry;
  auto& family = registry.counter("c_total", "C.", {"a"});
  EXPECT_EQ(&family.with({"x"}), &family.with({"x"}));
  EXPECT_NE(&family.with({"x"}), &family.with({"y"}));
  EXPECT_THROW(family.with({"x", "y"}), std::invalid_argument);
}

TEST(Metrics, ConcurrentIncrementsAreAllCounted) {
  Registry registry;
  auto& counter = registry.counter("c_total", "C.").with({});
  auto& histogram = registry.histogram("h", "H.", {1}).with({});
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 10000; ++i) {
        counter.inc();
        histogram.observe(0.5);
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(counter.value(), 40000u);
  EXPECT_EQ(histogram.snapshot().count, 40000u);
  EXPECT_EQ(histogram.snapshot().sum, 20000.0);
}

TEST(HeraldMetrics, RendersEveryMetricOfTheSpec) {
  HeraldMetrics metrics;
  metrics.events_captured.with({"orders"}).inc(2);
  metrics.deliveries.with({"orders", "webhook", "ok"}).inc();
  metrics.dead_letters.with({"orders", "webhook"}).inc();
  metrics.retry_queue_depth.set(4);
  metrics.slot_lag_bytes.set(1024);
  metrics.slot_lag_seconds.set(0.25);
  metrics.delivery_latency.with({"orders", "webhook"}).observe(0.003);
  metrics.websocket_connections.add(1);
  metrics.websocket_subscriptions.add(2);
  const std::string text = metrics.registry.render();
  for (const char* line : {
           "# TYPE herald_events_captured_total counter\n",
           "herald_events_captured_total{rule=\"orders\"} 2\n",
           "herald_deliveries_total{rule=\"orders\",action=\"webhook\",outcome=\"ok\"} 1\n",
           "herald_dead_letters_total{rule=\"orders\",action=\"webhook\"} 1\n",
           "herald_retry_queue_depth 4\n",
           "herald_slot_lag_bytes 1024\n",
           "herald_slot_lag_seconds 0.25\n",
           "# TYPE herald_delivery_latency_seconds histogram\n",
           "herald_delivery_latency_seconds_bucket{rule=\"orders\",action=\"webhook\",le=\"0.001\"}"
           " 0\n",
           "herald_delivery_latency_seconds_bucket{rule=\"orders\",action=\"webhook\",le=\"0.005\"}"
           " 1\n",
           "herald_delivery_latency_seconds_bucket{rule=\"orders\",action=\"webhook\",le=\"60\"} "
           "1\n",
           "herald_delivery_latency_seconds_count{rule=\"orders\",action=\"webhook\"} 1\n",
           "herald_websocket_connections 1\n",
           "herald_websocket_subscriptions 2\n",
       }) {
    EXPECT_NE(text.find(line), std::string::npos) << line << " not in:\n" << text;
  }
}

}  // namespace
}  // namespace herald::metrics
