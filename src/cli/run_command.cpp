#include "cli/run_command.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <atomic>
#include <csignal>

#include "cli/app.hpp"
#include "cli/database_setup.hpp"
#include "cli/pipeline.hpp"
#include "cli/routing_builder.hpp"
#include "cli/run_context.hpp"
#include "dispatch/retry_store.hpp"
#include "sink/nats_sink.hpp"

namespace herald::cli {
namespace {

std::atomic<bool> g_stop{false};

extern "C" void on_stop_signal(int) {
  g_stop.store(true);
}

void install_signal_handlers() {
  struct sigaction sa {};
  sa.sa_handler = on_stop_signal;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGTERM, &sa, nullptr);
  sigaction(SIGINT, &sa, nullptr);
  std::signal(SIGPIPE, SIG_IGN);
}

// Checks the database against the rules and brings herald's objects up to date.
// Returns an exit code when something is wrong.
std::optional<int> prepare_database(pg::Connection& db, const Loaded& loaded, bool verbose) {
  auto problems = check_database(db, *loaded.rules);
  if (!problems) {
    fmt::print(stderr, "herald: {}\n", problems.error().message);
    return kUnreachable;
  }
  if (!problems->errors.empty()) {
    for (const auto& e : problems->errors) fmt::print(stderr, "{}\n", e.to_string());
    fmt::print(stderr, "{}: {} error{} against the database\n", loaded.config.path,
               problems->errors.size(), problems->errors.size() == 1 ? "" : "s");
    return kBadInput;
  }
  auto report = ensure_database_objects(db, loaded.config, *loaded.rules);
  if (!report) {
    fmt::print(stderr, "herald: {}\n", report.error().message);
    return kUnreachable;
  }
  for (const auto& change : report->changes) {
    if (verbose) {
      fmt::print("{}\n", change);
    } else {
      spdlog::info("{}", change);
    }
  }
  if (verbose && report->changes.empty()) fmt::print("nothing to change: the database is set up\n");
  return std::nullopt;
}

}  // namespace

int setup_command(const std::string& config_path) {
  auto loaded = load_config_and_rules(config_path);
  if (auto* code = std::get_if<int>(&loaded)) return *code;
  auto& l = std::get<Loaded>(loaded);
  auto db = connect_database(l.config);
  if (auto* code = std::get_if<int>(&db)) return *code;
  if (auto code = prepare_database(std::get<pg::Connection>(db), l, true)) return *code;
  return kOk;
}

int teardown_command(const std::string& config_path) {
  auto loaded = load_config_and_rules(config_path);
  if (auto* code = std::get_if<int>(&loaded)) return *code;
  auto& l = std::get<Loaded>(loaded);
  auto db = connect_database(l.config);
  if (auto* code = std::get_if<int>(&db)) return *code;
  auto report = drop_capture_objects(std::get<pg::Connection>(db), l.config.observers);
  if (!report) {
    fmt::print(stderr, "herald: {}\n", report.error().message);
    return kUnreachable;
  }
  for (const auto& change : report->changes) fmt::print("{}\n", change);
  if (report->changes.empty())
    fmt::print("nothing to drop: no slot {} and no publication {}\n", l.config.observers.slot,
               l.config.observers.publication);
  return kOk;
}

int run_command(const std::string& config_path) {
  install_signal_handlers();
  auto loaded = load_config_and_rules(config_path);
  if (auto* code = std::get_if<int>(&loaded)) return *code;
  auto& l = std::get<Loaded>(loaded);
  const config::Observers& obs = l.config.observers;

  auto db_or = connect_database(l.config);
  if (auto* code = std::get_if<int>(&db_or)) return *code;
  auto& db = std::get<pg::Connection>(db_or);
  if (auto code = prepare_database(db, l, false)) return *code;
  if (auto keys = load_primary_keys(db, *l.rules); !keys) {
    fmt::print(stderr, "herald: {}\n", keys.error().message);
    return kUnreachable;
  }

  sink::CompletionQueue completions;
  std::unique_ptr<sink::NatsSink> nats;
  Sinks sinks;
  if (needs_nats(obs)) {
    sink::NatsSinkSettings settings;
    settings.url = obs.nats_url.value_or("");
    settings.jetstream = obs.jetstream;
    settings.stream = obs.stream;
    settings.subjects = stream_subjects(obs);
    auto connected = sink::NatsSink::connect(settings, completions);
    if (!connected) {
      fmt::print(stderr, "herald: {}\n", connected.error().message);
      return kUnreachable;
    }
    nats = std::move(*connected);
    if (auto ensured = nats->ensure_stream(); !ensured) {
      fmt::print(stderr, "herald: {}\n", ensured.error().message);
      return kUnreachable;
    }
    sinks.nats = nats.get();
  }

  auto routing = build_routing(obs, sinks);
  if (!routing) {
    fmt::print(stderr, "herald: {}\n", routing.error().message);
    return kBadInput;
  }

  dispatch::SettleTracker initial_tracker;
  dispatch::RetryStore store(db);
  dispatch::Dispatcher dispatcher(std::move(*routing), obs.format, completions, initial_tracker, &store);
  if (auto parked = dispatcher.load_parked(); !parked) {
    fmt::print(stderr, "herald: {}\n", parked.error().message);
    return kUnreachable;
  }
  std::vector<sink::Sink*> brokers;
  if (nats) brokers.push_back(nats.get());

  PipelineSettings settings;
  settings.conninfo = l.config.database.url->value;
  settings.slot = obs.slot;
  settings.publication = obs.publication;
  Pipeline pipeline(settings, *l.rules, dispatcher, completions, brokers);

  spdlog::info("herald running: {} rule(s) on {} table(s)", l.rules->rules().size(),
               l.rules->tables().size());
  auto result = pipeline.run(g_stop);
  if (nats) nats->close(std::chrono::seconds(5));
  if (!result) {
    spdlog::error("{}", result.error().message);
    return kUnreachable;
  }
  spdlog::info("herald stopped: {} events delivered", dispatcher.stats().delivered);
  return kOk;
}

}  // namespace herald::cli
