// An event NATS will never take (larger than the server's max_payload) must not stall
// capture: it becomes a dead letter in herald.dead_letters (SPEC section 4) and the events
// after it are delivered as usual.

#include <gtest/gtest.h>

#include <fstream>
#include <string>

#include "cli/support_run_fixture.hpp"

namespace herald::testing {
namespace {

using namespace std::chrono_literals;

TEST(RefusedEventTest, OversizedEventBecomesADeadLetterAndCaptureGoesOn) {
  // nats-server takes max_payload from a config file only.
  TempDir dir("herald-nats-conf-");
  std::ofstream(dir.path() / "nats.conf") << "max_payload: 65536\n";
  NatsServer nats(NatsOptions().with_arg("-c").with_arg((dir.path() / "nats.conf").string()));
  TestDatabase db;
  db.exec("CREATE TABLE tb_doc (id int PRIMARY KEY, body text)");
  HeraldConfig config(db.url(), nats.url(),
                      "[[observers]]\ntable = \"tb_doc\"\nevent = \"INSERT\"\n");
  HeraldProcess herald(config.path());
  ASSERT_TRUE(herald.start());

  db.exec("INSERT INTO tb_doc VALUES (1, 'small')");
  db.exec("INSERT INTO tb_doc VALUES (2, repeat('x', 100000))");  // ~100 KB > 64 KB
  db.exec("INSERT INTO tb_doc VALUES (3, 'small again')");

  ASSERT_TRUE(wait_for_stream_count(nats.url(), config.stream(), 2, 20s)) << herald.log_tail();
  EXPECT_TRUE(eventually(
      [&] { return db.scalar("SELECT count(*) FROM herald.dead_letters") == "1"; }, 20s, 50ms))
      << herald.log_tail();
  auto messages = read_stream(nats.url(), config.stream());
  ASSERT_EQ(messages.size(), 2u) << describe(messages);
  EXPECT_EQ(messages[0].body["entity_id"], 1);
  EXPECT_EQ(messages[1].body["entity_id"], 3);
  // The dead letter keeps the whole event, under its id.
  EXPECT_EQ(db.scalar("SELECT (event->'entity'->>'id') || ' ' || length(event->'entity'->>'body') "
                      "FROM herald.dead_letters"),
            "2 100000");
  EXPECT_TRUE(herald.running()) << herald.log_tail();
  ASSERT_TRUE(herald.terminate().value_or(ExitStatus{}).exited_with(0)) << herald.log_tail();
}

}  // namespace
}  // namespace herald::testing
