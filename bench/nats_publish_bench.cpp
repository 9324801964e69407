// Throughput of NatsSink: 1 KB events published asynchronously to JetStream (and, for
// comparison, core NATS) on a local nats-server, counting until every completion is in.
// Prints a table. Usage: nats_publish_bench [MESSAGES] [ROUNDS] [NATS_URL]; without a
// URL it starts its own nats-server -js through the test support.

#include <poll.h>
#include <sys/resource.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdlib>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "sink/completion_queue.hpp"
#include "sink/nats_handles.hpp"
#include "sink/nats_sink.hpp"
#include "sink/nats_stream.hpp"
#include "support/nats_server.hpp"

namespace {

using herald::sink::Completion;
using herald::sink::CompletionQueue;
using herald::sink::Delivery;
using herald::sink::NatsSink;
using herald::sink::NatsSinkSettings;
using herald::sink::Outcome;

struct Row {
  std::string mode;
  std::size_t window = 0;
  std::size_t messages = 0;
  double seconds = 0;
  std::size_t delivered = 0;
  double cpu_seconds = 0;  // this process (the client side only; nats-server is a child)
};

double process_cpu_seconds() {
  rusage usage{};
  ::getrusage(RUSAGE_SELF, &usage);
  const auto seconds = [](const timeval& t) {
    return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) / 1e6;
  };
  return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

std::optional<Row> run(const std::string& url, bool jetstream, std::size_t window,
                       std::size_t messages, int run_number) {
  CompletionQueue queue;
  NatsSinkSettings settings;
  settings.url = url;
  settings.jetstream = jetstream;
  settings.stream = fmt::format("BENCH{}", run_number);
  const std::string prefix = fmt::format("bench{}", run_number);
  settings.subjects = {prefix + ".>"};
  settings.max_in_flight = window;
  auto sink = NatsSink::connect(settings, queue);
  if (!sink) {
    fmt::print(stderr, "{}\n", sink.error().message);
    return std::nullopt;
  }
  if (auto ensured = (*sink)->ensure_stream(); !ensured) {
    fmt::print(stderr, "{}\n", ensured.error().message);
    return std::nullopt;
  }
  const std::string payload(1024, 'x');
  const std::string subject = prefix + ".order.created";
  std::vector<Completion> done;
  done.reserve(messages);
  Delivery delivery{0, "", subject, payload};
  const double cpu_start = process_cpu_seconds();
  const auto start = std::chrono::steady_clock::now();
  for (std::size_t i = 0; i < messages; ++i) {
    delivery.token = i;
    delivery.event_id = fmt::format("{:016X}-{:04}", i, 0);
    while (!(*sink)->submit(delivery)) {
      pollfd entry{queue.wake_fd(), POLLIN, 0};
      ::poll(&entry, 1, 1000);
      queue.drain(done);
    }
  }
  while (done.size() < messages) {
    pollfd entry{queue.wake_fd(), POLLIN, 0};
    if (::poll(&entry, 1, 10000) == 0) break;
    queue.drain(done);
  }
  const auto elapsed = std::chrono::steady_clock::now() - start;
  Row row{jetstream ? "JetStream async" : "core NATS + flush",
          window,
          messages,
          std::chrono::duration<double>(elapsed).count(),
          0,
          process_cpu_seconds() - cpu_start};
  for (const auto& c : done) row.delivered += c.outcome == Outcome::Delivered ? 1 : 0;
  return row;
}

// The same load through nats.c alone (its own MaxPending window, an ack counter), as the
// yardstick for the sink's overhead on this machine at this moment.
struct RawCounter {
  std::atomic<std::size_t> acked{0};
  std::atomic<std::size_t> ok{0};
};

void count_ack(jsCtx* /*js*/, natsMsg* msg, jsPubAck* ack, jsPubAckErr* /*failure*/,
               void* closure) noexcept {
  auto* counter = static_cast<RawCounter*>(closure);
  if (ack != nullptr) counter->ok.fetch_add(1);
  counter->acked.fetch_add(1);
  natsMsg_Destroy(msg);
}

std::optional<Row> run_raw(const std::string& url, std::size_t window, std::size_t messages,
                           int run_number) {
  namespace hn = herald::sink::nats;
  natsConnection* raw_connection = nullptr;
  if (natsConnection_ConnectTo(&raw_connection, url.c_str()) != NATS_OK) return std::nullopt;
  const hn::ConnectionPtr connection(raw_connection);
  RawCounter counter;
  jsOptions options;
  jsOptions_Init(&options);
  options.PublishAsync.MaxPending = static_cast<int64_t>(window);
  options.PublishAsync.AckHandler = &count_ack;
  options.PublishAsync.AckHandlerClosure = &counter;
  options.PublishAsync.StallWait = 10000;
  jsCtx* raw_js = nullptr;
  if (natsConnection_JetStream(&raw_js, connection.get(), &options) != NATS_OK) return std::nullopt;
  const hn::JetStreamPtr js(raw_js);
  const std::string prefix = fmt::format("bench{}", run_number);
  auto ensured = hn::ensure_stream(js.get(), {fmt::format("BENCH{}", run_number), {prefix + ".>"}});
  if (!ensured) return std::nullopt;
  const std::string payload(1024, 'x');
  const std::string subject = prefix + ".order.created";
  const double cpu_start = process_cpu_seconds();
  const auto start = std::chrono::steady_clock::now();
  for (std::size_t i = 0; i < messages; ++i) {
    natsMsg* msg = nullptr;
    natsMsg_Create(&msg, subject.c_str(), nullptr, payload.data(),
                   static_cast<int>(payload.size()));
    natsMsgHeader_Set(msg, "Nats-Msg-Id", fmt::format("{:016X}-{:04}", i, 0).c_str());
    if (js_PublishMsgAsync(js.get(), &msg, nullptr) != NATS_OK) natsMsg_Destroy(msg);
  }
  jsPubOptions wait;
  jsPubOptions_Init(&wait);
  wait.MaxWait = 30000;
  js_PublishAsyncComplete(js.get(), &wait);
  const auto elapsed = std::chrono::steady_clock::now() - start;
  return Row{"raw nats.c (no sink)",
             window,
             messages,
             std::chrono::duration<double>(elapsed).count(),
             counter.ok.load(),
             process_cpu_seconds() - cpu_start};
}

}  // namespace

int main(int argc, char** argv) {
  spdlog::set_level(spdlog::level::warn);
  const std::size_t messages = argc > 1 ? std::strtoull(argv[1], nullptr, 10) : 200'000;
  const int rounds = argc > 2 ? std::atoi(argv[2]) : 3;
  std::unique_ptr<herald::testing::NatsServer> server;
  std::string url;
  if (argc > 3) {
    url = argv[3];
  } else {
    server = std::make_unique<herald::testing::NatsServer>();
    url = server->url();
  }
  // The cases alternate within each round so that load from elsewhere on the machine
  // hits them alike; the table shows each case's median round.
  struct Case {
    enum class Kind { Raw, Sink, Core } kind;
    std::size_t window;
  };
  const std::vector<Case> cases{{Case::Kind::Raw, 4096},
                                {Case::Kind::Sink, 1024},
                                {Case::Kind::Sink, 4096},
                                {Case::Kind::Core, 4096}};
  std::vector<std::vector<Row>> results(cases.size());
  int run_number = 0;
  for (int round = 0; round < rounds; ++round) {
    for (std::size_t c = 0; c < cases.size(); ++c) {
      const Case& one = cases[c];
      const auto row =
          one.kind == Case::Kind::Raw
              ? run_raw(url, one.window, messages, run_number++)
              : run(url, one.kind == Case::Kind::Sink, one.window, messages, run_number++);
      if (!row) return 1;
      results[c].push_back(*row);
    }
  }
  fmt::print("1 KB events, {} per run, {} rounds, median round:\n", messages, rounds);
  fmt::print("{:<20} {:>7} {:>10} {:>10} {:>10} {:>14} {:>10}\n", "mode", "window", "msg/s", "min",
             "max", "client CPU/msg", "delivered");
  for (auto& rows : results) {
    std::sort(rows.begin(), rows.end(),
              [](const Row& a, const Row& b) { return a.seconds > b.seconds; });
    const auto rate = [](const Row& row) {
      return static_cast<double>(row.messages) / row.seconds;
    };
    const Row& median = rows[rows.size() / 2];
    fmt::print("{:<20} {:>7} {:>10.0f} {:>10.0f} {:>10.0f} {:>11.2f} us {:>10}\n", median.mode,
               median.window, rate(median), rate(rows.front()), rate(rows.back()),
               median.cpu_seconds * 1e6 / static_cast<double>(median.messages), median.delivered);
  }
  return 0;
}
