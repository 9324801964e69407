// `[server] workers` of `herald run`: that many GraphQL requests run at once, each on a
// database connection of its own; the others wait in the queue and are answered after.
#include <gtest/gtest.h>

#include <algorithm>
#include <future>
#include <vector>

#include "cli/support_graphql.hpp"

namespace herald::testing {
namespace {

using namespace std::chrono_literals;

// A query that takes a second in the database: long enough to see who runs it at once.
const std::string kSlowDdl = std::string(kShopDdl) + R"sql(
CREATE FUNCTION slow_one() RETURNS int LANGUAGE sql VOLATILE AS 'SELECT 1 FROM pg_sleep(1)';
CREATE VIEW v_slow AS SELECT slow_one() AS id;
)sql";

const std::string kSlowSdl = std::string(kShopSdl) + R"graphql(
type Slow {
  id: ID!
}

extend type Query {
  slow: [Slow!]! @view(name: "v_slow")
}
)graphql";

class RunGraphQLWorkers : public HeraldGraphQLTest {
 protected:
  // Connections of herald's GraphQL workers to this test's database, and how many of them
  // run the slow query now.
  std::pair<long, long> worker_connections() const {
    const PgRows rows = db_.exec(
        "SELECT count(*), count(*) FILTER (WHERE query LIKE '%v_slow%' AND state = 'active')"
        "  FROM pg_stat_activity"
        " WHERE application_name = 'herald-graphql' AND datname = current_database()");
    return {std::stol(rows.at(0).at(0).value()), std::stol(rows.at(0).at(1).value())};
  }
};

TEST_F(RunGraphQLWorkers, RunAsManyRequestsAtOnceAsTheSettingSays) {
  server_keys_ = "workers = 2\n";
  ASSERT_NO_FATAL_FAILURE(start_graphql_herald(
      "[[observers]]\ntable = \"tb_marker\"\nevent = \"INSERT\"\n", "", kSlowDdl, kSlowSdl));

  constexpr int kRequests = 5;
  std::vector<std::future<GraphQLReply>> replies;
  for (int i = 0; i < kRequests; ++i) {
    replies.push_back(
        std::async(std::launch::async, [this] { return graphql("{ slow { id } }"); }));
  }
  // Sampled while the five run (about three seconds with two at a time).
  long most_connections = 0;
  long most_running = 0;
  while (std::any_of(replies.begin(), replies.end(),
                     [](auto& r) { return r.wait_for(0s) != std::future_status::ready; })) {
    const auto [connections, running] = worker_connections();
    most_connections = std::max(most_connections, connections);
    most_running = std::max(most_running, running);
    std::this_thread::sleep_for(50ms);
  }
  for (auto& r : replies) {
    const GraphQLReply reply = r.get();
    ASSERT_EQ(reply.status, 200) << reply.text;
    EXPECT_EQ(reply.body["data"], nlohmann::json::parse(R"({"slow":[{"id":"1"}]})")) << reply.text;
  }
  EXPECT_EQ(most_running, 2) << "slow queries seen running at once";
  EXPECT_EQ(most_connections, 2) << "GraphQL connections to the database";
}

}  // namespace
}  // namespace herald::testing
