// A [server] schema that does not build, or binds a view or function the database lacks,
// stops `herald run` before it serves anything and fails `herald check`, each problem
// printed at its place in the schema file.
#include <gtest/gtest.h>

#include <fmt/format.h>

#include <fstream>

#include "cli/support_graphql.hpp"
#include "support/net.hpp"

namespace herald::testing {
namespace {

class RunGraphQLStartup : public ::testing::Test {
 protected:
  // A config with [server] and `sdl` as its schema; the shop's tables in the database.
  void write_config(const std::string& sdl) {
    db_.exec(kShopDdl);
    config_.emplace(db_.url(), SharedServers::get().nats().url(),
                    "[[observers]]\ntable = \"tb_order\"\nevent = \"INSERT\"\n");
    config_->set_sections(fmt::format(
        "[server]\nlisten = \"127.0.0.1:{}\"\nschema = \"schema.graphql\"\n\n", pick_free_port()));
    std::ofstream(schema_path()) << sdl;
  }
  std::string schema_path() const { return (config_->dir() / "schema.graphql").string(); }

  CommandResult herald(const std::string& command) {
    return run_herald({command, "-c", config_->path().string()});
  }

  TestDatabase db_;
  std::optional<HeraldConfig> config_;
};

TEST_F(RunGraphQLStartup, SchemaThatDoesNotBuildIsBadInputAtItsPlace) {
  write_config(
      "type Order @table(name: \"tb_order\") { id: ID! }\n"
      "type Query {\n"
      "  orders: [Ordr!]! @view(name: \"v_order\")\n"
      "  order(id: ID!): Order @vew(name: \"v_order\")\n"
      "}\n");
  for (const std::string command : {"run", "check"}) {
    const CommandResult result = herald(command);
    EXPECT_TRUE(result.status.exited_with(1)) << command << ": " << result.status.describe() << "\n"
                                              << result.output;
    EXPECT_NE(result.output.find(schema_path() + ":3:12: Unknown type \"Ordr\"."),
              std::string::npos)
        << command << ":\n"
        << result.output;
    EXPECT_NE(result.output.find(schema_path() + ":4:25: Unknown directive \"@vew\"."),
              std::string::npos)
        << command << ":\n"
        << result.output;
  }
  // Nothing was set up: run stopped before touching the database's capture objects.
  EXPECT_EQ(db_.scalar("SELECT count(*) FROM pg_replication_slots WHERE slot_name = '" +
                       config_->names().slot + "'"),
            "0");
}

TEST_F(RunGraphQLStartup, MissingViewOrFunctionIsNamedAtItsField) {
  write_config(
      "type Order @table(name: \"tb_order\") { id: ID! }\n"
      "type Query { orders: [Order!]! @view(name: \"v_gone\") }\n"
      "type Mutation {\n"
      "  createOrder(id: ID!): Order @function(name: \"fn_create_order\")\n"
      "  dropOrder(id: ID!): Order @function(name: \"fn_drop_order\")\n"
      "}\n");
  for (const std::string command : {"run", "check"}) {
    const CommandResult result = herald(command);
    EXPECT_TRUE(result.status.exited_with(1)) << command << ": " << result.status.describe() << "\n"
                                              << result.output;
    EXPECT_NE(result.output.find(schema_path() +
                                 ":2:14: @view(name: \"v_gone\") on Query.orders: no table or "
                                 "view v_gone in the database"),
              std::string::npos)
        << command << ":\n"
        << result.output;
    EXPECT_NE(result.output.find(schema_path() +
                                 ":5:3: @function(name: \"fn_drop_order\") on Mutation.dropOrder: "
                                 "no function fn_drop_order(jsonb) in the database"),
              std::string::npos)
        << command << ":\n"
        << result.output;
    // fn_create_order exists: it is not named.
    EXPECT_EQ(result.output.find("fn_create_order"), std::string::npos) << command << ":\n"
                                                                        << result.output;
  }
}

TEST_F(RunGraphQLStartup, PublishRuleMustNameAFunctionMutation) {
  write_config(kShopSdl);
  config_->rewrite("[[observers.publish]]\nmutation = \"cancelOrder\"\n");
  for (const std::string command : {"run", "check"}) {
    const CommandResult result = herald(command);
    EXPECT_TRUE(result.status.exited_with(1)) << command << ": " << result.status.describe() << "\n"
                                              << result.output;
    EXPECT_NE(result.output.find("[[observers.publish]] mutation 'cancelOrder' is not a "
                                 "@function field of type Mutation"),
              std::string::npos)
        << command << ":\n"
        << result.output;
  }
}

TEST_F(RunGraphQLStartup, CheckSaysTheSchemaMatchesTheDatabase) {
  write_config(kShopSdl);
  const CommandResult result = herald("check");
  EXPECT_TRUE(result.status.exited_with(0)) << result.status.describe() << "\n" << result.output;
  EXPECT_NE(result.output.find("every @view and @function exists in the database"),
            std::string::npos)
      << result.output;
}

}  // namespace
}  // namespace herald::testing
