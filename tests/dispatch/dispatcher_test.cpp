#include "dispatch/dispatcher.hpp"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

#include "sink/completion_queue.hpp"

namespace herald::dispatch {
namespace {

// A sink with a window of `capacity` deliveries that records what it accepted; the test
// completes them by hand through the completion queue.
class WindowedSink final : public sink::Sink {
 public:
  WindowedSink(sink::CompletionQueue& completions, std::size_t capacity)
      : completions_(completions), capacity_(capacity) {}

  bool submit(const sink::Delivery& delivery) override {
    if (open_ >= capacity_) return false;
    ++open_;
    accepted.push_back(delivery);
    return true;
  }
  std::size_t in_flight() const override { return open_; }
  bool healthy() const override { return true; }
  std::string describe() const override { return "windowed"; }

  void deliver_oldest_open() {
    const auto& d = accepted[accepted.size() - open_];
    --open_;
    completions_.push(sink::Completion{d.token, sink::Outcome::Delivered, "", std::nullopt});
  }

  std::vector<sink::Delivery> accepted;

 private:
  sink::CompletionQueue& completions_;
  std::size_t capacity_;
  std::size_t open_ = 0;
};

event::Event make_event(int n) {
  event::Event e;
  e.id = "id-" + std::to_string(n);
  e.subject = "bench.order.created";
  e.entity_type = "order";
  e.operation = "created";
  e.entity_id = n;
  e.entity = {{"id", n}};
  e.table = "public.tb_order";
  return e;
}

struct Fixture {
  explicit Fixture(std::size_t capacity) : sink(completions, capacity) {
    Routing routing;
    Target target;
    target.sink = &sink;
    target.rule = "orders";
    routing.rule_targets.push_back({target});
    dispatcher.emplace(std::move(routing), config::Format::Fraiseql, completions, tracker, nullptr);
  }
  sink::CompletionQueue completions;
  WindowedSink sink;
  SettleTracker tracker;
  std::optional<Dispatcher> dispatcher;
};

TEST(Dispatcher, DeliveryRefusedByAFullWindowKeepsItsContentForTheRetry) {
  Fixture f(1);
  auto txn = f.tracker.open();
  f.dispatcher->deliver_rule_event(txn, 0, make_event(1));
  f.dispatcher->deliver_rule_event(txn, 0, make_event(2));  // the window is full: backlog
  f.tracker.close(txn, 500);
  ASSERT_TRUE(f.dispatcher->backlogged());

  f.sink.deliver_oldest_open();
  f.dispatcher->process_completions();
  ASSERT_TRUE(f.dispatcher->flush_backlog());

  ASSERT_EQ(f.sink.accepted.size(), 2u);
  const sink::Delivery& retried = f.sink.accepted[1];
  EXPECT_EQ(retried.event_id, "id-2");
  EXPECT_EQ(retried.destination, "bench.order.created");
  EXPECT_NE(retried.payload.find("\"id\":\"id-2\""), std::string::npos) << retried.payload;
}

TEST(Dispatcher, ConfirmsTheTransactionOnlyWhenEveryDeliveryIsIn) {
  Fixture f(1);
  auto txn = f.tracker.open();
  f.dispatcher->deliver_rule_event(txn, 0, make_event(1));
  f.dispatcher->deliver_rule_event(txn, 0, make_event(2));
  f.tracker.close(txn, 500);

  f.sink.deliver_oldest_open();
  f.dispatcher->process_completions();
  EXPECT_EQ(f.tracker.confirmable(), 0u);
  ASSERT_TRUE(f.dispatcher->flush_backlog());
  f.sink.deliver_oldest_open();
  f.dispatcher->process_completions();
  EXPECT_EQ(f.tracker.confirmable(), 500u);
  EXPECT_EQ(f.dispatcher->stats().delivered, 2u);
  EXPECT_EQ(f.dispatcher->in_flight(), 0u);
}

TEST(Dispatcher, EveryOutcomeSeriesIsThereFromTheStartAndCounts) {
  Fixture f(2);
  HeraldMetrics metrics;
  f.dispatcher->set_metrics(&metrics);
  auto has = [&](const std::string& line) {
    return metrics.registry.render().find(line + "\n") != std::string::npos;
  };
  for (const char* outcome : {"delivered", "retry", "failed", "parked", "dead"}) {
    EXPECT_TRUE(has(fmt::format(
        R"(herald_deliveries_total{{rule="orders",action="-1",outcome="{}"}} 0)", outcome)))
        << outcome << "\n"
        << metrics.registry.render();
  }
  EXPECT_TRUE(has(R"(herald_events_captured_total{rule="orders"} 0)"));

  auto txn = f.tracker.open();
  f.dispatcher->deliver_rule_event(txn, 0, make_event(1));
  f.tracker.close(txn, 500);
  f.sink.deliver_oldest_open();
  f.dispatcher->process_completions();
  EXPECT_TRUE(has(R"(herald_events_captured_total{rule="orders"} 1)"));
  EXPECT_TRUE(has(R"(herald_deliveries_total{rule="orders",action="-1",outcome="delivered"} 1)"));
  EXPECT_TRUE(has(R"(herald_delivery_latency_seconds_count{rule="orders",action="-1"} 1)"))
      << metrics.registry.render();
}

}  // namespace
}  // namespace herald::dispatch
