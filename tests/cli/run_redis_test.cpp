// `herald run` delivering to Redis (SPEC section 4): stream entries in commit order carrying
// the event ids (XADD ... id <id> event <json>), for `backend = "redis"` rules and
// `type = "redis"` actions alike; pub/sub mode reaching a subscriber; and the order kept
// when herald's Redis connections are killed mid-stream (the slot replays what failed, and
// nothing later may land before that replay).

#include <gtest/gtest.h>

#include <atomic>
#include <fstream>
#include <set>
#include <thread>

#include <fmt/format.h>

#include "cli/support_delivery.hpp"
#include "cli/support_pg_session.hpp"
#include "sink/redis_test_client.hpp"
#include "support/net.hpp"
#include "support/shared_servers.hpp"

namespace herald::testing {
namespace {

using namespace std::chrono_literals;

struct Entry {
  std::string event_id;
  nlohmann::json event;
};

std::vector<Entry> entries(RedisTestClient& client, const std::string& key) {
  std::vector<Entry> out;
  for (const auto& e : client.xrange(key)) {
    Entry entry;
    for (const auto& [field, value] : e.fields) {
      if (field == "id") entry.event_id = value;
      if (field == "event") entry.event = nlohmann::json::parse(value, nullptr, false);
    }
    out.push_back(std::move(entry));
  }
  return out;
}

class RedisRunTest : public DeliveryTest {
 protected:
  RedisTestClient client_{SharedServers::get().redis().port()};
};

TEST_F(RedisRunTest, BackendRuleAddsStreamEntriesInCommitOrderWithTheEventIds) {
  db_.exec("CREATE TABLE tb_order (id int PRIMARY KEY, note text)");
  ASSERT_NO_FATAL_FAILURE(
      start_herald("[[observers]]\ntable = \"tb_order\"\nevent = \"INSERT\"\n", "redis"));
  for (int id = 1; id <= 10; ++id)
    db_.exec(fmt::format("INSERT INTO tb_order VALUES ({}, 'x')", id));
  db_.exec("INSERT INTO tb_order VALUES (11, 'a'), (12, 'b'), (13, 'c')");  // one transaction

  const std::string key = prefix() + ".order.created";
  ASSERT_TRUE(wait_until([&] { return client_.xlen(key) >= 13; }, 20s, "13 stream entries"));
  const auto got = entries(client_, key);
  ASSERT_EQ(got.size(), 13U);
  for (std::size_t i = 0; i < got.size(); ++i) {
    ASSERT_TRUE(got[i].event.is_object()) << i;
    EXPECT_EQ(got[i].event["entity"]["id"], static_cast<int>(i) + 1) << "commit order";
    EXPECT_EQ(got[i].event_id, got[i].event["id"].get<std::string>());
    EXPECT_EQ(got[i].event["event"], key);
    if (i > 0) {
      EXPECT_LT(got[i - 1].event_id, got[i].event_id);
    }
  }
}

TEST_F(RedisRunTest, RedisActionWritesToItsOwnSubject) {
  db_.exec("CREATE TABLE tb_order (id int PRIMARY KEY, note text)");
  ASSERT_NO_FATAL_FAILURE(
      start_herald("[[observers]]\ntable = \"tb_order\"\nevent = \"*\"\n\n"
                   "[[observers.actions]]\ntype = \"redis\"\nsubject = \"$PREFIX.audit\"\n",
                   "webhook"));
  db_.exec("INSERT INTO tb_order VALUES (1, 'x')");
  db_.exec("UPDATE tb_order SET note = 'y' WHERE id = 1");
  db_.exec("DELETE FROM tb_order WHERE id = 1");
  const std::string key = prefix() + ".audit";
  ASSERT_TRUE(wait_until([&] { return client_.xlen(key) >= 3; }, 20s, "3 stream entries"));
  const auto got = entries(client_, key);
  ASSERT_EQ(got.size(), 3U);
  EXPECT_EQ(got[0].event["operation"], "created");
  EXPECT_EQ(got[1].event["operation"], "updated");
  EXPECT_EQ(got[2].event["operation"], "deleted");
  for (const auto& e : got) EXPECT_EQ(e.event_id, e.event["id"].get<std::string>());
}

TEST_F(RedisRunTest, PubSubModeReachesASubscriber) {
  db_.exec("CREATE TABLE tb_order (id int PRIMARY KEY, note text)");
  ASSERT_NO_FATAL_FAILURE(start_herald("[[observers]]\ntable = \"tb_order\"\nevent = \"INSERT\"\n",
                                       "redis", "redis_mode = \"pubsub\""));
  const std::string channel = prefix() + ".order.created";
  RedisTestClient subscriber(SharedServers::get().redis().port());
  subscriber.subscribe(channel);
  for (int id = 1; id <= 5; ++id)
    db_.exec(fmt::format("INSERT INTO tb_order VALUES ({}, 'x')", id));
  for (int id = 1; id <= 5; ++id) {
    const auto message = subscriber.next_message();
    ASSERT_TRUE(message.has_value()) << "message " << id << " did not come; " << herald_log();
    const auto event = nlohmann::json::parse(*message, nullptr, false);
    EXPECT_EQ(event["entity"]["id"], id) << *message;
  }
  EXPECT_EQ(client_.run({"EXISTS", channel}).integer, 0) << "pub/sub stores nothing";
}

TEST_F(RedisRunTest, DeadLettersArePublishedToTheDlqSubject) {
  WebhookTestReceiver receiver;
  receiver.set_default(ScriptedResponse::with_status(500, "down for good"));
  db_.exec("CREATE TABLE tb_order (id int PRIMARY KEY, note text)");
  ASSERT_NO_FATAL_FAILURE(
      start_herald("[observers.dlq]\nsubject = \"$PREFIX.dlq\"\n\n" +
                       webhook_rule("tb_order", receiver.url(), Retry{2, 100, 1000, "fixed"}),
                   "redis"));
  db_.exec("INSERT INTO tb_order VALUES (5, 'x')");
  const std::string key = prefix() + ".dlq";
  ASSERT_TRUE(wait_until([&] { return client_.xlen(key) >= 1; }, 20s, "the dead-letter notice"));
  const auto letters = dead_letters();
  ASSERT_EQ(letters.size(), 1U);
  const auto got = entries(client_, key);
  ASSERT_EQ(got.size(), 1U);
  const auto& notice = got[0].event;
  EXPECT_EQ(got[0].event_id, fmt::format("dead-letter-{}", letters[0]["id"].get<long long>()));
  for (const char* field : {"id", "event_id", "rule", "action", "target", "attempts", "last_error",
                            "first_failed_at", "dead_at", "event"}) {
    EXPECT_EQ(notice[field], letters[0][field]) << field << ": " << notice.dump(2);
  }
  EXPECT_EQ(notice["attempts"], 2);
  EXPECT_EQ(notice["event"]["entity"]["id"], 5);
}

// A Redis restart while nothing is delivered fails no delivery: herald reconnects by
// itself and /readyz turns ready again without waiting for an event.
TEST_F(RedisRunTest, AnIdleConnectionLostIsReconnectedAndReadyAgain) {
  RedisServer server;
  redis_url_ = server.url();
  db_.exec("CREATE TABLE tb_order (id int PRIMARY KEY, note text)");
  std::ofstream(dir_.path() / "schema.graphql") << "type Query { ping: String }\n";
  const std::uint16_t port = pick_free_port();
  ASSERT_NO_FATAL_FAILURE(start_herald(
      "[[observers]]\ntable = \"tb_order\"\nevent = \"INSERT\"\n\n" +
          fmt::format("[server]\nlisten = \"127.0.0.1:{}\"\nschema = \"schema.graphql\"\n", port),
      "redis"));
  db_.exec("INSERT INTO tb_order VALUES (1, 'x')");  // opens the Redis connection
  const std::string key = prefix() + ".order.created";
  RedisTestClient client(server.port());
  ASSERT_TRUE(wait_until([&] { return client.xlen(key) == 1; }, 20s, "the first entry"));
  ASSERT_TRUE(wait_until([&] { return http_get(port, "/readyz").status == 200; }, 10s, "ready"));

  server.restart();  // no persistence: the stream is gone too
  ASSERT_TRUE(herald_->wait_for_log("connection lost", 10s));
  ASSERT_TRUE(herald_->wait_for_log("connected again", 10s));
  ASSERT_TRUE(wait_until([&] { return http_get(port, "/readyz").status == 200; }, 10s,
                         "ready again without an event"));
  RedisTestClient after(server.port());
  db_.exec("INSERT INTO tb_order VALUES (2, 'y')");
  ASSERT_TRUE(wait_until([&] { return after.xlen(key) == 1; }, 20s, "the next entry"));
  EXPECT_EQ(entries(after, key).at(0).event["entity"]["id"], 2);
}

TEST_F(RedisRunTest, KilledConnectionsMidStreamKeepCommitOrder) {
  constexpr int kRows = 3000;
  RedisServer server;
  redis_url_ = server.url();
  RedisTestClient admin(server.port());
  db_.exec("CREATE TABLE tb_item (id int PRIMARY KEY)");
  ASSERT_NO_FATAL_FAILURE(
      start_herald("[[observers]]\ntable = \"tb_item\"\nevent = \"INSERT\"\n", "redis"));
  const std::string key = prefix() + ".item.created";

  std::atomic<bool> writer_failed{false};
  std::thread writer([&] {
    try {
      PgSession session(db_.url());
      for (int id = 1; id <= kRows; ++id)
        session.exec(fmt::format("INSERT INTO tb_item VALUES ({})", id));
    } catch (const std::exception&) {
      writer_failed = true;
    }
  });
  // Each kill comes while herald's XADDs wait behind a CLIENT PAUSE: those fail, the
  // capture replays them from the slot, and later events must not land ahead of them.
  auto herald_blocked = [&] {
    return admin.run({"INFO", "clients"}).text.find("blocked_clients:0") == std::string::npos;
  };
  int kills = 0;
  for (long long at = 500; at < kRows; at += 500) {
    if (!eventually([&] { return admin.xlen(key) >= at; }, 30s, 1ms)) break;
    admin.run({"CLIENT", "PAUSE", "5000", "WRITE"});
    const bool blocked = static_cast<bool>(eventually(herald_blocked, 5s, 1ms));
    admin.run({"CLIENT", "KILL", "TYPE", "normal", "SKIPME", "yes"});
    admin.run({"CLIENT", "UNPAUSE"});
    if (!blocked) break;
    ++kills;
  }
  writer.join();
  ASSERT_FALSE(writer_failed.load());
  ASSERT_EQ(kills, 5) << "a kill found no XADD in flight; " << herald_log();

  auto distinct = [&] {
    std::set<std::string> ids;
    for (const auto& e : entries(admin, key)) ids.insert(e.event_id);
    return ids.size();
  };
  ASSERT_TRUE(wait_until([&] { return distinct() == kRows; }, 60s, "every row's entry"));
  const auto got = entries(admin, key);
  std::set<std::string> seen;
  std::string last;
  int duplicates = 0;
  for (const auto& e : got) {
    if (!seen.insert(e.event_id).second) {
      ++duplicates;
      continue;
    }
    // First occurrences follow commit order: nothing lands ahead of a replay.
    ASSERT_LT(last, e.event_id) << "entry " << e.event["entity"]["id"] << " arrived before an "
                                << "earlier event's replay; " << duplicates << " duplicates so far";
    last = e.event_id;
  }
  EXPECT_TRUE(herald_->log_since_start().find("connection lost") != std::string::npos)
      << herald_log();
  std::printf("[   info   ] %d rows, %d kills, %d duplicate entries (replays)\n", kRows, kills,
              duplicates);
}

}  // namespace
}  // namespace herald::testing
