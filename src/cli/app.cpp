#include "cli/app.hpp"

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <exception>

#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <cstdlib>

#include "cli/check_command.hpp"
#include "cli/config_path.hpp"
#include "cli/dlq_command.hpp"
#include "cli/run_command.hpp"
#include "cli/status_command.hpp"

#ifndef HERALD_VERSION
#define HERALD_VERSION "unknown"
#endif

namespace herald::cli {
namespace {

// Logs go to stderr, one line each; HERALD_LOG=debug|info|warn|error sets the level.
void configure_logging() {
  auto logger = spdlog::stderr_color_mt("herald");
  logger->set_pattern("%Y-%m-%dT%H:%M:%S.%e %^%l%$ %v");
  const char* level = std::getenv("HERALD_LOG");
  logger->set_level(level != nullptr ? spdlog::level::from_str(level) : spdlog::level::info);
  spdlog::set_default_logger(logger);
}

}  // namespace

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

  CLI::App* run_cmd =
      app.add_subcommand("run", "capture, deliver, subscribe, serve; SIGTERM drains");
  CLI::App* check =
      app.add_subcommand("check", "validate the configuration and say what it will do");
  CLI::App* setup = app.add_subcommand("setup", "create the slot, publication and schema herald");
  CLI::App* teardown = app.add_subcommand("teardown", "drop the slot and publication");
  CLI::App* status =
      app.add_subcommand("status", "slot lag, pending retries, dead letters, consumers");
  bool status_json = false;
  status->add_flag("--json", status_json, "print JSON instead of text");
  CLI::App* dlq = app.add_subcommand("dlq", "list, show, replay and purge dead letters");
  dlq->require_subcommand(1);
  DlqArgs dlq_args;
  CLI::App* dlq_list = dlq->add_subcommand("list", "the dead letters, as a table");
  dlq_list->add_flag("--json", dlq_args.json, "print JSON, with each event");
  CLI::App* dlq_show = dlq->add_subcommand("show", "one dead letter with its event");
  dlq_show->add_option("ID", dlq_args.ids, "dead letter id")->required()->expected(1);
  CLI::App* dlq_replay =
      dlq->add_subcommand("replay", "deliver dead letters again with a fresh budget");
  auto* replay_ids = dlq_replay->add_option("ID", dlq_args.ids, "dead letter ids");
  auto* replay_all = dlq_replay->add_flag("--all", dlq_args.all, "every dead letter");
  replay_ids->excludes(replay_all);
  dlq_replay->callback([&] {
    if (dlq_args.ids.empty() && !dlq_args.all)
      throw CLI::ValidationError("replay", "give dead letter ids or --all");
  });
  CLI::App* dlq_purge = dlq->add_subcommand("purge", "delete dead letters");
  dlq_purge->add_option("--before", dlq_args.before,
                        "only those dead before this time (e.g. 2026-11-01)");
  for (CLI::App* cmd : {run_cmd, check, setup, teardown, status, dlq}) add_config_option(cmd);
  // `herald dlq list -c file`: options the verb does not know go to `dlq`.
  for (CLI::App* verb : {dlq_list, dlq_show, dlq_replay, dlq_purge}) verb->fallthrough();

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
    configure_logging();
    const std::string path = resolve_config_path(config_flag);
    if (run_cmd->parsed()) return run_command(path);
    if (check->parsed()) return check_command(path);
    if (setup->parsed()) return setup_command(path);
    if (teardown->parsed()) return teardown_command(path);
    if (status->parsed()) return status_command(path, status_json);
    if (dlq->parsed()) {
      if (dlq_show->parsed()) dlq_args.verb = DlqArgs::Verb::Show;
      if (dlq_replay->parsed()) dlq_args.verb = DlqArgs::Verb::Replay;
      if (dlq_purge->parsed()) dlq_args.verb = DlqArgs::Verb::Purge;
      return dlq_command(path, dlq_args);
    }
  } catch (const std::exception& e) {
    fmt::print(stderr, "herald: internal error: {}\n", e.what());
    return kInternalError;
  }
  return kBadInput;
}

}  // namespace herald::cli
