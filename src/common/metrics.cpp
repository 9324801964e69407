#include "common/metrics.hpp"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <stdexcept>

#include <fmt/format.h>

namespace herald::metrics {

Histogram::Histogram(const std::vector<double>& bounds)
    : bounds_(bounds), counts_(std::make_unique<std::atomic<std::uint64_t>[]>(bounds.size() + 1)) {
  for (std::size_t i = 0; i <= bounds_.size(); ++i) counts_[i].store(0);
}

void Histogram::observe(double v) noexcept {
  // `le` is inclusive: a value equal to a bound falls in that bound's bucket.
  auto bucket = static_cast<std::size_t>(std::lower_bound(bounds_.begin(), bounds_.end(), v) -
                                         bounds_.begin());
  counts_[bucket].fetch_add(1, std::memory_order_relaxed);
  sum_.fetch_add(v, std::memory_order_relaxed);
  count_.fetch_add(1, std::memory_order_relaxed);
}

Histogram::Snapshot Histogram::snapshot() const {
  Snapshot snap;
  std::uint64_t running = 0;
  for (std::size_t i = 0; i <= bounds_.size(); ++i) {
    running += counts_[i].load(std::memory_order_relaxed);
    snap.cumulative.push_back(running);
  }
  snap.sum = sum_.load(std::memory_order_relaxed);
  // The count is the +Inf bucket, so the two always agree in one rendering.
  snap.count = running;
  return snap;
}

std::vector<double> latency_buckets_seconds() {
  return {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60};
}

std::string escape_label_value(std::string_view value) {
  std::string out;
  out.reserve(value.size());
  for (char c : value) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '"') {
      out += "\\\"";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  return out;
}

std::string escape_help(std::string_view help) {
  std::string out;
  for (char c : help) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  return out;
}

std::string format_value(double value) {
  if (std::isnan(value)) return "NaN";
  if (std::isinf(value)) return value > 0 ? "+Inf" : "-Inf";
  return fmt::format("{}", value);
}

namespace {

// {a="x",b="y"} plus an optional extra label (le for buckets); "" when there are none.
std::string label_block(const std::vector<std::string>& names,
                        const std::vector<std::string>& values, std::string_view extra_name = {},
                        std::string_view extra_value = {}) {
  std::string out;
  for (std::size_t i = 0; i < names.size(); ++i) {
    out += out.empty() ? "{" : ",";
    out += fmt::format("{}=\"{}\"", names[i], escape_label_value(values[i]));
  }
  if (!extra_name.empty()) {
    out += out.empty() ? "{" : ",";
    out += fmt::format("{}=\"{}\"", extra_name, extra_value);
  }
  if (!out.empty()) out += "}";
  return out;
}

template <typename Series>
constexpr std::string_view type_name() {
  if constexpr (std::is_same_v<Series, Counter>) return "counter";
  if constexpr (std::is_same_v<Series, Gauge>) return "gauge";
  return "histogram";
}

}  // namespace

template <typename Series>
Family<Series>::Family(std::string name, std::string help, std::vector<std::string> label_names,
                       std::vector<double> bounds)
    : name_(std::move(name)),
      help_(std::move(help)),
      label_names_(std::move(label_names)),
      bounds_(std::move(bounds)) {
  if (!std::is_sorted(bounds_.begin(), bounds_.end())) {
    throw std::invalid_argument(fmt::format("metric {}: buckets must ascend", name_));
  }
}

template <typename Series>
Series& Family<Series>::with(std::initializer_list<std::string_view> values) {
  return find_or_add(std::vector<std::string>(values.begin(), values.end()));
}

template <typename Series>
Series& Family<Series>::with(const std::vector<std::string>& values) {
  return find_or_add(values);
}

template <typename Series>
Series& Family<Series>::find_or_add(std::vector<std::string> values) {
  // A wrong label count is a programming error in the caller, found by its first test.
  if (values.size() != label_names_.size()) {
    throw std::invalid_argument(fmt::format("metric {}: {} label values for {} labels", name_,
                                            values.size(), label_names_.size()));
  }
  std::lock_guard lock(mutex_);
  auto found = series_.find(values);
  if (found != series_.end()) return *found->second;
  std::unique_ptr<Series> series;
  if constexpr (std::is_same_v<Series, Histogram>) {
    series = std::make_unique<Histogram>(bounds_);
  } else {
    series = std::make_unique<Series>();
  }
  Series& ref = *series;
  series_.emplace(std::move(values), std::move(series));
  return ref;
}

template <typename Series>
void Family<Series>::render(std::string& out) const {
  out += fmt::format("# HELP {} {}\n# TYPE {} {}\n", name_, escape_help(help_), name_,
                     type_name<Series>());
  std::lock_guard lock(mutex_);
  for (const auto& [values, series] : series_) {
    if constexpr (std::is_same_v<Series, Histogram>) {
      auto snap = series->snapshot();
      for (std::size_t i = 0; i <= bounds_.size(); ++i) {
        std::string le = i < bounds_.size() ? format_value(bounds_[i]) : "+Inf";
        out += fmt::format("{}_bucket{} {}\n", name_, label_block(label_names_, values, "le", le),
                           snap.cumulative[i]);
      }
      auto labels = label_block(label_names_, values);
      out += fmt::format("{}_sum{} {}\n", name_, labels, format_value(snap.sum));
      out += fmt::format("{}_count{} {}\n", name_, labels, snap.count);
    } else if constexpr (std::is_same_v<Series, Counter>) {
      out += fmt::format("{}{} {}\n", name_, label_block(label_names_, values), series->value());
    } else {
      out += fmt::format("{}{} {}\n", name_, label_block(label_names_, values),
                         format_value(series->value()));
    }
  }
}

template class Family<Counter>;
template class Family<Gauge>;
template class Family<Histogram>;

CounterFamily& Registry::counter(std::string name, std::string help,
                                 std::vector<std::string> labels) {
  std::lock_guard lock(mutex_);
  counters_.push_back(
      std::make_unique<CounterFamily>(std::move(name), std::move(help), std::move(labels)));
  order_.emplace_back(Kind::counter, counters_.size() - 1);
  return *counters_.back();
}

GaugeFamily& Registry::gauge(std::string name, std::string help, std::vector<std::string> labels) {
  std::lock_guard lock(mutex_);
  gauges_.push_back(
      std::make_unique<GaugeFamily>(std::move(name), std::move(help), std::move(labels)));
  order_.emplace_back(Kind::gauge, gauges_.size() - 1);
  return *gauges_.back();
}

HistogramFamily& Registry::histogram(std::string name, std::string help, std::vector<double> bounds,
                                     std::vector<std::string> labels) {
  std::lock_guard lock(mutex_);
  histograms_.push_back(std::make_unique<HistogramFamily>(std::move(name), std::move(help),
                                                          std::move(labels), std::move(bounds)));
  order_.emplace_back(Kind::histogram, histograms_.size() - 1);
  return *histograms_.back();
}

std::string Registry::render() const {
  std::string out;
  std::lock_guard lock(mutex_);
  for (auto [kind, index] : order_) {
    switch (kind) {
      case Kind::counter:
        counters_[index]->render(out);
        break;
      case Kind::gauge:
        gauges_[index]->render(out);
        break;
      case Kind::histogram:
        histograms_[index]->render(out);
        break;
    }
  }
  return out;
}

}  // namespace herald::metrics

namespace herald {

HeraldMetrics::HeraldMetrics()
    : events_captured(registry.counter("herald_events_captured_total",
                                       "Events made from captured changes, per rule.", {"rule"})),
      deliveries(registry.counter("herald_deliveries_total",
                                  "Delivery attempts per rule, action and outcome.",
                                  {"rule", "action", "outcome"})),
      retry_queue_depth(
          registry.gauge("herald_retry_queue_depth", "Deliveries waiting in herald.retries.")
              .with({})),
      dead_letters(registry.counter("herald_dead_letters_total",
                                    "Deliveries moved to herald.dead_letters.",
                                    {"rule", "action"})),
      slot_lag_bytes(registry
                         .gauge("herald_slot_lag_bytes",
                                "WAL bytes between the server's position and the confirmed one.")
                         .with({})),
      slot_lag_seconds(
          registry.gauge("herald_slot_lag_seconds", "Age of the oldest commit not yet confirmed.")
              .with({})),
      delivery_latency(registry.histogram("herald_delivery_latency_seconds",
                                          "Time from commit to a settled delivery.",
                                          metrics::latency_buckets_seconds(), {"rule", "action"})),
      websocket_connections(
          registry.gauge("herald_websocket_connections", "Open WebSocket connections.").with({})),
      websocket_subscriptions(
          registry.gauge("herald_websocket_subscriptions", "Active GraphQL subscriptions.")
              .with({})) {}

}  // namespace herald
