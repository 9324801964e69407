#pragma once
// Prometheus metrics (text exposition format 0.0.4) with no allocation on the hot path.
//
//   metrics::Registry registry;
//   auto& sent = registry.counter("herald_deliveries_total", "Deliveries.", {"rule", "outcome"});
//   metrics::Counter& ok = sent.with({"orders", "ok"});  // once, at start: allocates
//   ok.inc();                                            // per event: one atomic add
//   std::string page = registry.render();
//
// A family owns its series behind stable addresses, so callers look a series up once
// and keep the reference. Increments are relaxed atomics; only looking up a new label
// set and rendering take the family's lock.

#include <atomic>
#include <cstdint>
#include <initializer_list>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace herald::metrics {

class Counter {
 public:
  void inc(std::uint64_t n = 1) noexcept { value_.fetch_add(n, std::memory_order_relaxed); }
  std::uint64_t value() const noexcept { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<std::uint64_t> value_{0};
};

class Gauge {
 public:
  void set(double v) noexcept { value_.store(v, std::memory_order_relaxed); }
  void add(double v) noexcept { value_.fetch_add(v, std::memory_order_relaxed); }
  void sub(double v) noexcept { value_.fetch_sub(v, std::memory_order_relaxed); }
  double value() const noexcept { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<double> value_{0.0};
};

// Buckets are upper bounds, ascending; +Inf is implied. Counts are kept per bucket and
// made cumulative when rendered, so observe() touches one bucket.
class Histogram {
 public:
  explicit Histogram(const std::vector<double>& bounds);
  void observe(double v) noexcept;

  struct Snapshot {
    std::vector<std::uint64_t> cumulative;  // one per bound, then +Inf
    double sum = 0.0;
    std::uint64_t count = 0;
  };
  Snapshot snapshot() const;

 private:
  const std::vector<double>& bounds_;
  std::unique_ptr<std::atomic<std::uint64_t>[]> counts_;  // bounds_.size() + 1
  std::atomic<double> sum_{0.0};
  std::atomic<std::uint64_t> count_{0};
};

// 1 ms to 60 s: a webhook round trip on loopback up to the longest sink timeout.
std::vector<double> latency_buckets_seconds();

enum class Kind { counter, gauge, histogram };

// A metric name with HELP, TYPE and a fixed list of label names; series by label values.
template <typename Series>
class Family {
 public:
  Family(std::string name, std::string help, std::vector<std::string> label_names,
         std::vector<double> bounds = {});

  // The series for these label values (as many as label names), created on first use.
  Series& with(std::initializer_list<std::string_view> values);
  Series& with(const std::vector<std::string>& values);

  const std::string& name() const { return name_; }
  void render(std::string& out) const;

 private:
  Series& find_or_add(std::vector<std::string> values);

  std::string name_;
  std::string help_;
  std::vector<std::string> label_names_;
  std::vector<double> bounds_;  // histograms only
  mutable std::mutex mutex_;
  std::map<std::vector<std::string>, std::unique_ptr<Series>> series_;
};

using CounterFamily = Family<Counter>;
using GaugeFamily = Family<Gauge>;
using HistogramFamily = Family<Histogram>;

class Registry {
 public:
  CounterFamily& counter(std::string name, std::string help, std::vector<std::string> labels = {});
  GaugeFamily& gauge(std::string name, std::string help, std::vector<std::string> labels = {});
  HistogramFamily& histogram(std::string name, std::string help, std::vector<double> bounds,
                             std::vector<std::string> labels = {});

  // Every family in registration order, series sorted by label values.
  std::string render() const;

 private:
  mutable std::mutex mutex_;
  std::vector<std::unique_ptr<CounterFamily>> counters_;
  std::vector<std::unique_ptr<GaugeFamily>> gauges_;
  std::vector<std::unique_ptr<HistogramFamily>> histograms_;
  std::vector<std::pair<Kind, std::size_t>> order_;
};

// Text format helpers, exposed for tests.
std::string escape_label_value(std::string_view value);  // \\, \", \n
std::string escape_help(std::string_view help);          // \\, \n
std::string format_value(double value);                  // +Inf, -Inf, NaN, shortest

}  // namespace herald::metrics

namespace herald {

// herald's own metrics (SPEC section 8). Modules update them through these references
// and never see HTTP; the server renders `registry` at GET /metrics.
struct HeraldMetrics {
  HeraldMetrics();
  HeraldMetrics(const HeraldMetrics&) = delete;
  HeraldMetrics& operator=(const HeraldMetrics&) = delete;

  metrics::Registry registry;
  metrics::CounterFamily& events_captured;  // {rule}
  metrics::CounterFamily& deliveries;       // {rule, action, outcome}
  metrics::Gauge& retry_queue_depth;
  metrics::CounterFamily& dead_letters;  // {rule, action}
  metrics::Gauge& slot_lag_bytes;
  metrics::Gauge& slot_lag_seconds;
  metrics::HistogramFamily& delivery_latency;  // seconds {rule, action}
  metrics::Gauge& websocket_connections;
  metrics::Gauge& websocket_subscriptions;
};

}  // namespace herald
