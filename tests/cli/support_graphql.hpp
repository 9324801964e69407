#pragma once
// The fixture of the `herald run` GraphQL tests: HeraldRunTest with a [server] table, an
// SDL file beside the config, the database objects it binds, and a GraphQL client that
// talks to herald over HTTP on loopback.

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>

#include "cli/support_run_fixture.hpp"

namespace herald::testing {

// The shop the tests share: orders, a marker table, views and functions.
//  - fn_create_order(input) inserts, then raises when total < 0 (so a failure has
//    written a row that must not commit);
//  - fn_pay_order({id}) sets status 'paid' and returns the row as jsonb, raises for
//    unknown ids;
//  - v_order is the table; v_order_card serves a `data jsonb` column.
extern const char* const kShopDdl;
extern const char* const kShopSdl;

struct GraphQLReply {
  int status = 0;            // 0: no HTTP answer at all
  std::string content_type;  // the response's Content-Type
  std::string www_authenticate;
  nlohmann::json body;  // discarded when the body is not JSON
  std::string text;     // the body as sent
};

class HeraldGraphQLTest : public HeraldRunTest {
 protected:
  // Runs `ddl` in the test's database, writes `sdl` as schema.graphql beside the config,
  // adds [server] on a free loopback port and starts `herald run` (retrying on another
  // port when the one picked was taken meanwhile). `rules` as in start_herald.
  void start_graphql_herald(const std::string& rules, const std::string& observer_keys = "",
                            const std::string& ddl = kShopDdl, const std::string& sdl = kShopSdl);

  // POST /graphql, application/json, Accept application/graphql-response+json.
  GraphQLReply graphql(const std::string& query,
                       const nlohmann::json& variables = nlohmann::json::object());

  std::string graphql_url() const;
  std::uint16_t port_ = 0;
  // More keys of [server] (e.g. "workers = 2\n") and more top-level tables (e.g.
  // [auth]), set before start_graphql_herald.
  std::string server_keys_;
  std::string more_sections_;
  // Sent as `Authorization` by graphql() when not empty.
  std::string authorization_;
};

// "row count of table" as a number (-1 when the query failed).
long count_rows(const TestDatabase& db, const std::string& table);

}  // namespace herald::testing
