#include "cli/run_command.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <atomic>
#include <csignal>
#include <thread>

#include "cli/app.hpp"
#include "cli/database_setup.hpp"
#include "cli/pipeline.hpp"
#include "cli/dead_letter_publisher.hpp"
#include "cli/graphql_service.hpp"
#include "cli/routing_builder.hpp"
#include "cli/sink_set.hpp"
#include "cli/run_context.hpp"
#include "dispatch/retry_store.hpp"
#include "dispatch/retry_worker.hpp"
#include "server/health.hpp"
#include "server/http_server.hpp"
#include "sink/redis_sink.hpp"
#include "sink/nats_sink.hpp"
#include "common/metrics.hpp"

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

namespace {

// Every few seconds: slot lag and retry queue depth into the metrics, from the database.
class LagSampler {
 public:
  LagSampler(std::string conninfo, std::string slot, HeraldMetrics& metrics)
      : conninfo_(std::move(conninfo)), slot_(std::move(slot)), metrics_(metrics) {
    thread_ = std::thread([this] { run(); });
  }
  ~LagSampler() {
    stop_ = true;
    thread_.join();
  }
  LagSampler(const LagSampler&) = delete;
  LagSampler& operator=(const LagSampler&) = delete;

 private:
  void run() {
    std::optional<pg::Connection> db;
    while (!stop_) {
      if (!db || !db->is_ok()) {
        auto c = pg::Connection::connect(conninfo_);
        if (c) db.emplace(std::move(*c));
      }
      if (db) sample(*db);
      for (int i = 0; i < 50 && !stop_; ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
  }
  void sample(pg::Connection& db) {
    auto r = db.exec_params(
        "SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), s.confirmed_flush_lsn)::float8, "
        "coalesce(extract(epoch FROM r.flush_lag), 0)::float8, "
        "(SELECT count(*) FROM herald.retries)::float8 "
        "FROM pg_replication_slots s LEFT JOIN pg_stat_replication r ON r.pid = s.active_pid "
        "WHERE s.slot_name = $1",
        {slot_});
    if (!r || r->rows() == 0) return;
    metrics_.slot_lag_bytes.set(std::stod(std::string(r->get(0, 0))));
    metrics_.slot_lag_seconds.set(std::stod(std::string(r->get(0, 1))));
    metrics_.retry_queue_depth.set(std::stod(std::string(r->get(0, 2))));
  }

  std::string conninfo_;
  std::string slot_;
  HeraldMetrics& metrics_;
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

// The sink dead-letter notices go through: the backend, on a connection of its own.
std::unique_ptr<DeadLetterPublisher> open_dead_letter_publisher(const config::Observers& obs) {
  if (obs.dlq_subject.empty()) return nullptr;
  auto completions = std::make_unique<sink::CompletionQueue>();
  std::unique_ptr<sink::Sink> sink;
  if (obs.backend == config::Backend::Redis && obs.redis_url) {
    sink::RedisSinkSettings settings;
    settings.url = *obs.redis_url;
    settings.mode = obs.redis_mode == config::RedisMode::Stream ? sink::RedisMode::Stream
                                                                : sink::RedisMode::PubSub;
    settings.maxlen = obs.redis_maxlen;
    auto connected = sink::RedisSink::connect(settings, *completions);
    if (connected) sink = std::move(*connected);
  } else if (obs.nats_url) {
    sink::NatsSinkSettings settings;
    settings.url = *obs.nats_url;
    settings.jetstream = obs.jetstream;
    settings.stream = obs.stream;
    settings.connection_name = "herald-dead-letters";
    auto connected = sink::NatsSink::connect(settings, *completions);
    if (connected) sink = std::move(*connected);
  }
  if (!sink) {
    spdlog::warn("dead letters will not be published to {}: the backend cannot be reached",
                 obs.dlq_subject);
    return nullptr;
  }
  return std::make_unique<DeadLetterPublisher>(obs.dlq_subject, std::move(completions),
                                               std::move(sink));
}

}  // namespace

int run_command(const std::string& config_path) {
  install_signal_handlers();
  auto loaded = load_config_and_rules(config_path);
  if (auto* code = std::get_if<int>(&loaded)) return *code;
  auto& l = std::get<Loaded>(loaded);
  const config::Observers& obs = l.config.observers;
  if (!obs.subscribe.empty()) {
    // Starting without them would look like success while no handler ever runs.
    for (const auto& s : obs.subscribe) {
      fmt::print(stderr,
                 "{}:{}:{}: [[observers.subscribe]] is not served by this herald yet: {} would "
                 "never be called for '{}'\n",
                 s.pos.file, s.pos.line, s.pos.column, s.handler, s.subject);
    }
    fmt::print(stderr, "herald: remove the [[observers.subscribe]] entries to run\n");
    return kBadInput;
  }
  const std::string& conninfo =
      l.config.database.url ? l.config.database.url->value : std::string();

  auto db_or = connect_database(l.config);
  if (auto* code = std::get_if<int>(&db_or)) return *code;
  auto& db = std::get<pg::Connection>(db_or);
  std::unique_ptr<GraphQLService> graphql;  // [server] schema; checked before any setup
  if (l.config.server) {
    auto opened = open_graphql_service(l.config, db);
    if (auto* code = std::get_if<int>(&opened)) return *code;
    graphql = std::move(std::get<std::unique_ptr<GraphQLService>>(opened));
  }
  if (auto code = prepare_database(db, l, false)) return *code;
  if (auto keys = load_primary_keys(db, *l.rules); !keys) {
    fmt::print(stderr, "herald: {}\n", keys.error().message);
    return kUnreachable;
  }

  HeraldMetrics metrics;
  sink::CompletionQueue completions;
  SinkSet sinks(obs, completions);
  auto built = build_routing(obs, sinks);
  if (!built) {
    fmt::print(stderr, "herald: {}\n", built.error().message);
    return kUnreachable;
  }

  auto dead_letters = open_dead_letter_publisher(obs);
  auto on_dead = [&](const dispatch::DeadLetter& d) {
    if (dead_letters) dead_letters->publish(d);
  };

  dispatch::SettleTracker initial_tracker;
  dispatch::RetryStore store(db);
  dispatch::Dispatcher dispatcher(std::move(built->routing), obs.format, completions,
                                  initial_tracker, &store);
  dispatcher.set_metrics(&metrics);
  dispatcher.set_dead_letter_observer(on_dead);
  if (auto parked = dispatcher.load_parked(); !parked) {
    fmt::print(stderr, "herald: {}\n", parked.error().message);
    return kUnreachable;
  }

  // Parked webhook deliveries are retried on a thread of their own.
  std::unique_ptr<dispatch::RetryWorker> retry_worker;
  std::vector<const dispatch::Target*> retry_targets;
  for (const auto& targets : dispatcher.routing().rule_targets) {
    for (const auto& t : targets) {
      if (!t.holds_wal_on_failure) retry_targets.push_back(&t);
    }
  }
  if (!retry_targets.empty()) {
    dispatch::RetryWorker::Settings settings;
    settings.conninfo = conninfo;
    auto actions = built->webhook_actions;
    retry_worker = std::make_unique<dispatch::RetryWorker>(
        settings, retry_targets,
        [&sinks, actions](const dispatch::Target& t,
                          sink::CompletionQueue& q) -> Result<std::unique_ptr<sink::Sink>> {
          auto found = actions.find({t.rule, t.action});
          if (found == actions.end()) return Error{"no webhook action " + t.rule};
          return sinks.open_for_retries(*found->second, q);
        },
        on_dead);
    retry_worker->set_metrics(&metrics);  // its deliveries count as the first tries do
    retry_worker->start();
  }

  PipelineSettings settings;
  settings.conninfo = conninfo;
  settings.slot = obs.slot;
  settings.publication = obs.publication;
  settings.batch_window = std::chrono::milliseconds(obs.batch_window_ms);
  Pipeline pipeline(settings, *l.rules, dispatcher, completions, sinks.brokers());

  std::unique_ptr<server::HttpServer> http;
  if (l.config.server) {
    server::Settings http_settings;
    http_settings.host = l.config.server->host;
    http_settings.port = static_cast<std::uint16_t>(l.config.server->port);
    http_settings.max_connections = static_cast<std::size_t>(l.config.server->max_connections);
    server::Router router;
    server::add_health_routes(router, [&] {
      server::Readiness r;
      if (!pipeline.progress().streaming.load()) r.slot = "not streaming from slot " + obs.slot;
      if (!sinks.all_brokers_healthy()) r.broker = "a broker is unreachable";
      return r;
    });
    server::add_metrics_route(router, metrics.registry);
    if (graphql) graphql->add_routes(router);
    auto started = server::HttpServer::start(http_settings, std::move(router));
    if (!started) {
      fmt::print(stderr, "herald: {}\n", started.error().message);
      return kUnreachable;
    }
    http = std::move(*started);
    spdlog::info("serving /graphql, /healthz, /readyz and /metrics on http://{}:{}",
                 http_settings.host, http->port());
  }
  LagSampler sampler(conninfo, obs.slot, metrics);

  spdlog::info("herald running: {} rule(s) on {} table(s)", l.rules->rules().size(),
               l.rules->tables().size());
  auto result = pipeline.run(g_stop);
  if (retry_worker) retry_worker->stop(std::chrono::seconds(5));
  if (http) http->stop();
  if (graphql) graphql->stop();
  sinks.close(std::chrono::seconds(5));
  if (!result) {
    spdlog::error("{}", result.error().message);
    return kUnreachable;
  }
  spdlog::info("herald stopped: {} deliveries done, {} parked for retry, {} dead letters",
               dispatcher.stats().delivered, dispatcher.stats().parked, dispatcher.stats().dead);
  return kOk;
}

}  // namespace herald::cli
