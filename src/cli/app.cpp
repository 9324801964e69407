#include "cli/app.hpp"

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <exception>

#include "cli/check_command.hpp"
#include "cli/config_path.hpp"

#ifndef HERALD_VERSION
#define HERALD_VERSION "unknown"
#endif

namespace herald::cli {

int run(int argc, char** argv) {
  CLI::App app{
      "herald turns committed PostgreSQL writes into events: NATS, Redis, webhooks,\n"
      "SQL handlers and GraphQL subscriptions, as fraiseql.toml says."};
  app.set_version_flag("--version", std::string("herald ") + HERALD_VERSION);
  app.require_subcommand(1);
  app.footer(
      "The config file is -c PATH, else $HERALD_CONFIG, else ./fraiseql.toml.\n"
      "Exit codes: 0 ok, 1 bad input, 2 cannot reach a dependency, 3 internal error.");

  std::string config_flag;
  auto add_config_option = [&](CLI::App* cmd) {
    cmd->add_option("-c,--config", config_flag, "path to fraiseql.toml");
  };

  CLI::App* check = app.add_subcommand("check", "validate the configuration and say what it will do");
  add_config_option(check);

  std::string known;
  bool is_known = false;
  for (const CLI::App* sub : app.get_subcommands({})) {
    known += (known.empty() ? "" : ", ") + sub->get_name();
    is_known |= argc > 1 && sub->get_name() == argv[1];
  }
  if (argc > 1 && argv[1][0] != '-' && !is_known) {
    fmt::print(stderr, "herald: unknown command '{}'; the commands are: {}\n", argv[1], known);
    return kBadInput;
  }

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    // --help and --version are "errors" with exit code 0 in CLI11.
    int code = app.exit(e);
    return code == 0 ? kOk : kBadInput;
  }

  try {
    if (check->parsed()) return check_command(resolve_config_path(config_flag));
  } catch (const std::exception& e) {
    fmt::print(stderr, "herald: internal error: {}\n", e.what());
    return kInternalError;
  }
  return kBadInput;
}

}  // namespace herald::cli
