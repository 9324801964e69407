// GraphQL mutations over HTTP against the real `herald run`: requests/s with several
// keep-alive client connections, and what herald adds per request beyond PostgreSQL.
//
//   graphql_bench [--seconds S] [--connections N] [--no-fsync]
//
// Starts its own PostgreSQL (fsync on unless --no-fsync) and nats-server through the test
// support, runs `herald run` with a [server] schema whose mutation `addItem` calls a
// one-INSERT SQL function, and measures:
//  (a) HTTP: N client threads, one keep-alive connection each, POSTing the mutation for S
//      seconds; requests/s, latency percentiles, and herald's CPU time per request
//      (utime + stime of the herald process: all of it is spent outside PostgreSQL,
//      libpq's client side included);
//  (b) the same at 4 connections, one per herald database worker;
//  (c) the SQL herald runs for that mutation (BEGIN; SELECT to_jsonb(r) FROM
//      fn_add_item($1::jsonb) r; COMMIT, through graphql::PgDataSource) straight over
//      libpq on 4 connections: PostgreSQL alone at herald's database concurrency;
//  (d) one client over HTTP and one over libpq, in alternating 1 s rounds: herald's wall
//      time per request outside PostgreSQL is p50(HTTP) - p50(libpq).
// Prints a markdown table.

#include <sys/types.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <string>
#include <thread>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "graphql/pg_data_source.hpp"
#include "pg/connection.hpp"
#include "server/http_client.hpp"
#include "support/servers.hpp"

namespace {

using Clock = std::chrono::steady_clock;
using herald::testing::HttpClient;

constexpr const char* kDdl = R"sql(
CREATE TABLE tb_item (id bigserial PRIMARY KEY, n int NOT NULL, label text NOT NULL);
CREATE TABLE tb_idle (id serial PRIMARY KEY);
CREATE VIEW v_item AS SELECT id, n, label FROM tb_item;
CREATE FUNCTION fn_add_item(input jsonb) RETURNS tb_item LANGUAGE sql AS $$
  INSERT INTO tb_item (n, label) VALUES ((input->>'n')::int, input->>'label') RETURNING * $$;
)sql";

constexpr const char* kSdl = R"(
type Item @table(name: "tb_item") { id: ID! n: Int! label: String! }
type Query { items(limit: Int): [Item!]! @view(name: "v_item") }
type Mutation { addItem(n: Int!, label: String!): Item @function(name: "fn_add_item") }
)";

constexpr const char* kMutation =
    "mutation Add($n: Int!, $label: String!) { addItem(n: $n, label: $label) { id n label } }";

struct Load {
  std::size_t requests = 0;
  std::size_t errors = 0;
  double seconds = 0;
  std::vector<double> latencies_us;  // sorted

  double rate() const { return seconds > 0 ? static_cast<double>(requests) / seconds : 0; }
  double percentile(double p) const {
    if (latencies_us.empty()) return 0;
    const auto at = static_cast<std::size_t>(p * static_cast<double>(latencies_us.size() - 1));
    return latencies_us[at];
  }
};

// `threads` workers each run `one(thread, i)` (one request; false = it failed) until the
// time is up, timing every call.
Load drive(std::size_t threads, std::chrono::milliseconds duration,
           const std::function<std::function<bool(std::size_t)>(std::size_t)>& make_worker) {
  std::vector<std::vector<double>> latencies(threads);
  std::vector<std::size_t> errors(threads, 0);
  std::atomic<std::size_t> ready{0};
  std::atomic<bool> go{false};
  Clock::time_point end;
  std::vector<std::thread> pool;
  for (std::size_t t = 0; t < threads; ++t) {
    pool.emplace_back([&, t] {
      auto one = make_worker(t);
      ++ready;
      while (!go.load()) std::this_thread::yield();
      for (std::size_t i = 0; Clock::now() < end; ++i) {
        const auto start = Clock::now();
        const bool ok = one(i);
        const auto took = std::chrono::duration<double, std::micro>(Clock::now() - start);
        latencies[t].push_back(took.count());
        if (!ok) ++errors[t];
      }
    });
  }
  while (ready.load() < threads) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  const auto start = Clock::now();
  end = start + duration;
  go = true;
  for (auto& thread : pool) thread.join();
  Load load;
  load.seconds = std::chrono::duration<double>(Clock::now() - start).count();
  for (std::size_t t = 0; t < threads; ++t) {
    load.requests += latencies[t].size();
    load.errors += errors[t];
    load.latencies_us.insert(load.latencies_us.end(), latencies[t].begin(), latencies[t].end());
  }
  std::sort(load.latencies_us.begin(), load.latencies_us.end());
  return load;
}

Load http_load(std::uint16_t port, std::size_t connections, std::chrono::milliseconds duration) {
  return drive(connections, duration, [port](std::size_t thread) {
    auto client = std::make_shared<HttpClient>(port);
    return [client, thread](std::size_t i) {
      const nlohmann::json body = {
          {"query", kMutation},
          {"variables",
           {{"n", static_cast<int>(i % 100000)}, {"label", fmt::format("t{}", thread)}}}};
      auto response = client->post("/graphql", "application/json", body.dump(),
                                   "application/graphql-response+json");
      return response && response->result_int() == 200 &&
             response->body().find("\"errors\"") == std::string::npos;
    };
  });
}

Load sql_load(const std::string& url, std::size_t connections, std::chrono::milliseconds duration) {
  return drive(connections, duration, [url](std::size_t thread) {
    auto connection = herald::pg::Connection::connect(url);
    if (!connection) throw std::runtime_error(connection.error().message);
    auto owned = std::make_shared<herald::pg::Connection>(std::move(*connection));
    auto source = std::make_shared<herald::graphql::PgDataSource>(
        *owned, std::set<std::string, std::less<>>{});
    return [owned, source, thread](std::size_t i) {
      herald::graphql::FunctionCall call;
      call.function = "fn_add_item";
      call.arguments = {{"n", static_cast<int>(i % 100000)}, {"label", fmt::format("t{}", thread)}};
      call.mutation = "addItem";
      call.entity_type = "item";
      return source->mutate(call).ok();
    };
  });
}

// One client at a time, HTTP and libpq in alternating 1 s rounds, so that load from
// elsewhere on the machine falls on both alike.
std::pair<Load, Load> serial_rounds(std::uint16_t port, const std::string& url, int rounds) {
  Load http, direct;
  const auto add = [](Load& into, Load round) {
    into.requests += round.requests;
    into.errors += round.errors;
    into.seconds += round.seconds;
    into.latencies_us.insert(into.latencies_us.end(), round.latencies_us.begin(),
                             round.latencies_us.end());
  };
  for (int round = 0; round < rounds; ++round) {
    add(http, http_load(port, 1, std::chrono::seconds(1)));
    add(direct, sql_load(url, 1, std::chrono::seconds(1)));
  }
  std::sort(http.latencies_us.begin(), http.latencies_us.end());
  std::sort(direct.latencies_us.begin(), direct.latencies_us.end());
  return {http, direct};
}

// utime + stime of a process, in seconds (from /proc/PID/stat).
double process_cpu_seconds(pid_t pid) {
  std::ifstream in(fmt::format("/proc/{}/stat", pid));
  std::string stat;
  std::getline(in, stat);  // one line
  const auto close = stat.rfind(')');
  if (close == std::string::npos) return 0;
  std::istringstream fields(stat.substr(close + 2));
  std::string field;
  double ticks = 0;
  for (int index = 3; fields >> field && index <= 15; ++index) {
    if (index == 14 || index == 15) ticks += std::stod(field);
  }
  return ticks / static_cast<double>(::sysconf(_SC_CLK_TCK));
}

std::string load_average() {
  std::ifstream in("/proc/loadavg");
  std::string one, five, fifteen;
  in >> one >> five >> fifteen;
  return fmt::format("{} / {} / {}", one, five, fifteen);
}

std::string row(const std::string& what, const Load& load) {
  return fmt::format("| {} | **{:.0f}/s** ({} in {:.1f} s{}) | {:.2f} / {:.2f} / {:.2f} ms |\n",
                     what, load.rate(), load.requests, load.seconds,
                     load.errors ? fmt::format(", {} FAILED", load.errors) : std::string(),
                     load.percentile(0.5) / 1000, load.percentile(0.9) / 1000,
                     load.percentile(0.99) / 1000);
}

}  // namespace

int main(int argc, char** argv) {
  int seconds = 5;
  std::size_t connections = 8;
  bool fsync = true;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--seconds" && i + 1 < argc) {
      seconds = std::atoi(argv[++i]);
    } else if (arg == "--connections" && i + 1 < argc) {
      connections = static_cast<std::size_t>(std::atoi(argv[++i]));
    } else if (arg == "--no-fsync") {
      fsync = false;
    } else {
      std::fprintf(stderr, "usage: graphql_bench [--seconds S] [--connections N] [--no-fsync]\n");
      return 2;
    }
  }
  using namespace herald::testing;
  const std::chrono::milliseconds duration = std::chrono::seconds(seconds);
  PostgresServer postgres(PostgresOptions().with_fsync(fsync));
  NatsServer nats;
  TestDatabase db(postgres, "graphql_bench");
  db.exec(kDdl);

  TempDir dir("herald-graphql-bench-");
  std::ofstream(dir.path() / "schema.graphql") << kSdl;
  const std::uint16_t port = pick_free_port();
  std::ofstream(dir.path() / "fraiseql.toml") << fmt::format(
      "[database]\nurl = \"{}\"\n\n[server]\nlisten = \"127.0.0.1:{}\"\nschema = "
      "\"schema.graphql\"\n\n[observers]\nbackend = \"nats\"\nnats_url = \"{}\"\n"
      "slot = \"graphql_bench\"\npublication = \"graphql_bench\"\nstream = \"GRAPHQL_BENCH\"\n\n"
      "[[observers]]\ntable = \"tb_idle\"\nevent = \"INSERT\"\n",
      db.url(), port, nats.url());
  ChildProcess herald(
      {herald_binary().string(), "run", "-c", (dir.path() / "fraiseql.toml").string()},
      SpawnOptions().output_to(dir.path() / "herald.log"));
  const auto deadline = Clock::now() + std::chrono::seconds(30);
  while (http_get_status(port, "/healthz", std::chrono::seconds(1)) != 200) {
    if (!herald.running() || Clock::now() > deadline) {
      std::fprintf(stderr, "herald did not start (%s):\n%s\n",
                   herald.running() ? "still starting" : herald.exit_status()->describe().c_str(),
                   file_tail(dir.path() / "herald.log").c_str());
      return 1;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }

  http_load(port, connections, std::chrono::seconds(1));  // warm-up: connections, plans
  const double cpu_before = process_cpu_seconds(herald.pid());
  const Load many = http_load(port, connections, duration);
  const double cpu_used = process_cpu_seconds(herald.pid()) - cpu_before;
  const Load four = http_load(port, 4, duration);
  const Load direct = sql_load(db.url(), 4, duration);
  const auto [serial_http, serial_direct] = serial_rounds(port, db.url(), seconds);
  herald.signal(SIGTERM);
  herald.wait_for_exit(std::chrono::seconds(20));

  const double cpu_us = many.requests ? cpu_used * 1e6 / static_cast<double>(many.requests) : 0;
  const double outside_us = serial_http.percentile(0.5) - serial_direct.percentile(0.5);
  fmt::print(
      "GraphQL mutation `addItem` (one INSERT in a SQL function) against `herald run`; "
      "PostgreSQL fsync {}; {} cores, load average {} at the end\n\n",
      fsync ? "on" : "off", std::thread::hardware_concurrency(), load_average());
  fmt::print("| measure | rate | latency p50 / p90 / p99 |\n|---|---|---|\n");
  fmt::print("{}",
             row(fmt::format("GraphQL over HTTP, {} keep-alive connections", connections), many));
  fmt::print("{}", row("GraphQL over HTTP, 4 keep-alive connections (= herald's 4 database "
                       "workers)",
                       four));
  fmt::print("{}", row("the same SQL straight over libpq, 4 connections", direct));
  fmt::print("{}", row("GraphQL over HTTP, 1 connection (alternating 1 s rounds with the next)",
                       serial_http));
  fmt::print("{}", row("the same SQL straight over libpq, 1 connection", serial_direct));
  fmt::print(
      "| herald CPU per request ({} connections) | {:.0f} µs (user + system, {:.2f} s "
      "over {} requests) | |\n",
      connections, cpu_us, cpu_used, many.requests);
  fmt::print(
      "| herald wall time per request outside PostgreSQL: p50 HTTP (1) − p50 libpq (1) "
      "| {:.0f} µs | |\n",
      outside_us);
  const std::size_t errors =
      many.errors + four.errors + direct.errors + serial_http.errors + serial_direct.errors;
  return errors == 0 ? 0 : 1;
}
