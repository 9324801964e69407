// The dispatcher and the retry worker against a real herald.retries: parking, per-entity
// order, dead letters, disabled actions, and the worker's retries.
#include <gtest/gtest.h>

#include <optional>

#include "dispatch/dispatcher.hpp"
#include "dispatch/herald_schema.hpp"
#include "dispatch/retry_store.hpp"
#include "dispatch/retry_worker.hpp"
#include "dispatch/scripted_sink.hpp"
#include "support/eventually.hpp"
#include "support/test_database.hpp"

namespace herald::dispatch {
namespace {

using namespace std::chrono_literals;
using testing::eventually;

event::Event order_event(const std::string& id, const std::string& entity) {
  event::Event e;
  e.id = id;
  e.subject = "fraiseql.order.created";
  e.entity_type = "order";
  e.operation = "created";
  e.entity_id = entity;
  e.entity = {{"id", entity}};
  e.table = "public.tb_order";
  return e;
}

class DispatcherRetryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto conn = pg::Connection::connect(db_.url());
    ASSERT_TRUE(conn) << conn.error().message;
    conn_.emplace(std::move(*conn));
    ASSERT_TRUE(conn_->exec(kHeraldSchemaSql));
    store_.emplace(*conn_);
    make_dispatcher(5);
  }

  void make_dispatcher(int max_attempts) {
    Routing routing;
    Target target;
    target.sink = &sink_;
    target.rule = "orders";
    target.action = 0;
    target.label = "webhook http://127.0.0.1";
    target.retry.max_attempts = max_attempts;
    target.retry.initial_delay_ms = 60000;  // parked rows stay put unless a test moves them
    target.holds_wal_on_failure = false;
    routing.rule_targets.push_back({target});
    dispatcher_.emplace(std::move(routing), config::Format::Fraiseql, completions_, tracker_,
                        &*store_);
    ASSERT_TRUE(dispatcher_->load_parked());
  }

  // Delivers one event in its own transaction; returns the transaction's end LSN.
  capture::Lsn send(const std::string& id, const std::string& entity) {
    auto txn = tracker_.open();
    dispatcher_->deliver_rule_event(txn, 0, order_event(id, entity));
    tracker_.close(txn, ++lsn_);
    return lsn_;
  }

  std::vector<std::string> parked() {
    std::vector<std::string> ids;
    for (const auto& row : db_.exec("SELECT event_id, attempts FROM herald.retries ORDER BY id")) {
      ids.push_back(*row[0] + "#" + *row[1]);
    }
    return ids;
  }

  std::vector<std::string> dead() {
    std::vector<std::string> out;
    for (const auto& row :
         db_.exec("SELECT event_id, attempts, last_error FROM herald.dead_letters ORDER BY id")) {
      out.push_back(*row[0] + "#" + *row[1] + " " + *row[2]);
    }
    return out;
  }

  testing::TestDatabase db_;
  std::optional<pg::Connection> conn_;
  std::optional<RetryStore> store_;
  sink::CompletionQueue completions_;
  ScriptedSink sink_{completions_};
  SettleTracker tracker_;
  std::optional<Dispatcher> dispatcher_;
  capture::Lsn lsn_ = 100;
};

TEST_F(DispatcherRetryTest, OneDeliveryPerEntityInFlightOthersFlow) {
  send("a1", "A");
  send("a2", "A");
  send("b1", "B");
  EXPECT_EQ(sink_.accepted_ids(), (std::vector<std::string>{"a1", "b1"}));
  sink_.complete("a1", sink::Outcome::Delivered);
  dispatcher_->process_completions();
  EXPECT_EQ(sink_.accepted_ids(), (std::vector<std::string>{"a1", "b1", "a2"}));
}

TEST_F(DispatcherRetryTest, FailedDeliveryIsParkedWithEverythingBehindItAndTheSlotMovesOn) {
  send("a1", "A");
  send("a2", "A");
  send("b1", "B");
  auto last = send("a3", "A");
  sink_.complete("a1", sink::Outcome::Retry, "HTTP 503");
  dispatcher_->process_completions();
  EXPECT_EQ(parked(), (std::vector<std::string>{"a1#1", "a2#0", "a3#0"}));
  EXPECT_EQ(tracker_.confirmable(), 102u);  // a1 and a2 are parked; b1 is still in flight
  sink_.complete("b1", sink::Outcome::Delivered);
  dispatcher_->process_completions();
  EXPECT_EQ(tracker_.confirmable(), last);
  // A is parked: its next event queues behind in the table, B's goes straight out.
  send("a4", "A");
  send("b2", "B");
  EXPECT_EQ(parked(), (std::vector<std::string>{"a1#1", "a2#0", "a3#0", "a4#0"}));
  EXPECT_EQ(sink_.accepted_ids(), (std::vector<std::string>{"a1", "b1", "b2"}));
  EXPECT_EQ(*db_.scalar("SELECT last_error FROM herald.retries WHERE event_id = 'a1'"), "HTTP 503");
}

TEST_F(DispatcherRetryTest, EntityFlowsDirectlyAgainOnceItsParkedDeliveriesAreDone) {
  send("a1", "A");
  sink_.complete("a1", sink::Outcome::Retry, "timeout");
  dispatcher_->process_completions();
  ASSERT_EQ(parked().size(), 1u);
  EXPECT_EQ(dispatcher_->parked_entities(), 1u);
  db_.exec("DELETE FROM herald.retries");  // as the retry worker does after delivering
  ASSERT_TRUE(eventually(
      [&] {
        dispatcher_->refresh_parked();
        return dispatcher_->parked_entities() == 0;
      },
      5s));
  send("a2", "A");
  EXPECT_EQ(sink_.accepted_ids(), (std::vector<std::string>{"a1", "a2"}));
}

TEST_F(DispatcherRetryTest, PermanentFailureIsADeadLetterAndTheEntityMovesOn) {
  send("a1", "A");
  send("a2", "A");
  sink_.complete("a1", sink::Outcome::Permanent, "HTTP 400: bad payload");
  dispatcher_->process_completions();
  EXPECT_EQ(dead(), (std::vector<std::string>{"a1#1 HTTP 400: bad payload"}));
  EXPECT_EQ(sink_.accepted_ids(), (std::vector<std::string>{"a1", "a2"}));
  EXPECT_EQ(*db_.scalar("SELECT event->>'id' FROM herald.dead_letters"), "a1");
  EXPECT_TRUE(parked().empty());
}

TEST_F(DispatcherRetryTest, GoneTargetDisablesTheActionAndLaterEventsAreDeadLetters) {
  send("a1", "A");
  sink_.complete("a1", sink::Outcome::Disabled, "HTTP 410 Gone");
  dispatcher_->process_completions();
  send("b1", "B");
  EXPECT_EQ(sink_.accepted_ids(), (std::vector<std::string>{"a1"}));
  auto letters = dead();
  ASSERT_EQ(letters.size(), 2u);
  EXPECT_EQ(letters[0], "a1#1 HTTP 410 Gone");
  EXPECT_EQ(letters[1], "b1#0 action disabled until restart: HTTP 410 Gone");
  EXPECT_EQ(tracker_.confirmable(), lsn_);
}

TEST_F(DispatcherRetryTest, SingleAttemptBudgetDeadLettersAtOnce) {
  make_dispatcher(1);
  send("a1", "A");
  sink_.complete("a1", sink::Outcome::Retry, "HTTP 500");
  dispatcher_->process_completions();
  EXPECT_EQ(dead(), (std::vector<std::string>{"a1#1 HTTP 500"}));
  EXPECT_TRUE(parked().empty());
}

TEST_F(DispatcherRetryTest, RetryWorkerDeliversInOrderReschedulesAndBuries) {
  // Three parked deliveries of entity A (due now), one of B.
  std::vector<ParkedDelivery> rows;
  for (auto [id, key] : {std::pair{"a1", "A"}, {"a2", "A"}, {"b1", "B"}}) {
    ParkedDelivery d;
    d.event_id = id;
    d.order = OrderKey{"orders", 0, key};
    d.target = "webhook";
    d.payload = R"({"id":")" + std::string(id) + R"("})";
    rows.push_back(d);
  }
  ASSERT_TRUE(store_->park(rows));

  Target target;
  target.rule = "orders";
  target.action = 0;
  target.retry.max_attempts = 2;
  target.retry.initial_delay_ms = 10;
  target.retry.max_delay_ms = 10;
  ScriptedSink* worker_sink = nullptr;
  std::mutex mutex;
  RetryWorker::Settings settings;
  settings.conninfo = db_.url();
  settings.poll_interval = 20ms;
  RetryWorker worker(
      settings, {&target},
      [&](const Target&, sink::CompletionQueue& q) -> Result<std::unique_ptr<sink::Sink>> {
        auto s = std::make_unique<ScriptedSink>(q);
        std::lock_guard lock(mutex);
        worker_sink = s.get();
        return std::unique_ptr<sink::Sink>(std::move(s));
      },
      nullptr);
  worker.start();
  auto open_ids = [&] {
    std::lock_guard lock(mutex);
    std::vector<std::string> ids;
    if (worker_sink != nullptr) {
      for (const auto& d : worker_sink->open) ids.push_back(d.event_id);
    }
    return ids;
  };
  // Heads only: a1 and b1, never a2 while a1 is unfinished.
  ASSERT_TRUE(eventually([&] { return open_ids().size() == 2; }, 10s));
  EXPECT_EQ(open_ids(), (std::vector<std::string>{"a1", "b1"}));  // due order: park order
  {
    std::lock_guard lock(mutex);
    worker_sink->complete("a1", sink::Outcome::Delivered);
    worker_sink->complete("b1", sink::Outcome::Retry, "HTTP 502");
  }
  ASSERT_TRUE(eventually(
      [&] {
        auto ids = open_ids();
        return std::find(ids.begin(), ids.end(), "a2") != ids.end() &&
               std::find(ids.begin(), ids.end(), "b1") != ids.end();
      },
      10s));
  {
    std::lock_guard lock(mutex);
    worker_sink->complete("a2", sink::Outcome::Delivered);
    worker_sink->complete("b1", sink::Outcome::Retry, "HTTP 502 again");  // 2nd of 2 tries
  }
  ASSERT_TRUE(eventually([&] { return parked().empty(); }, 10s));
  worker.stop(1s);
  EXPECT_EQ(dead(), (std::vector<std::string>{"b1#2 HTTP 502 again"}));
  EXPECT_EQ(worker.delivered(), 2u);
  EXPECT_EQ(worker.dead(), 1u);
}

TEST_F(DispatcherRetryTest, DeadLettersReplayWithAFreshBudgetAndPurge) {
  ParkedDelivery d;
  d.event_id = "x1";
  d.order = OrderKey{"orders", 0, "X"};
  d.target = "webhook";
  d.payload = R"({"id":"x1"})";
  d.attempts = 5;
  d.last_error = "HTTP 500";
  auto buried = store_->bury_new(d);
  ASSERT_TRUE(buried) << buried.error().message;
  auto listed = store_->dead_letters(10);
  ASSERT_TRUE(listed);
  ASSERT_EQ(listed->size(), 1u);
  EXPECT_EQ((*listed)[0].attempts, 5);

  auto replayed = store_->replay({buried->id});
  ASSERT_TRUE(replayed) << replayed.error().message;
  EXPECT_EQ(*replayed, 1);
  EXPECT_EQ(parked(), (std::vector<std::string>{"x1#0"}));
  EXPECT_TRUE(dead().empty());

  ASSERT_TRUE(store_->bury_new(d));
  auto purged = store_->purge(std::string("2000-01-01"));
  ASSERT_TRUE(purged);
  EXPECT_EQ(*purged, 0);
  purged = store_->purge(std::nullopt);
  ASSERT_TRUE(purged);
  EXPECT_EQ(*purged, 1);
}

}  // namespace
}  // namespace herald::dispatch
