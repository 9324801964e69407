// Throughput of WebhookSink: JSON events POSTed to a local receiver that answers 204 as
// fast as it can (a one-thread epoll HTTP/1.1 server in this process, so the figure is the
// sink's, not a slow receiver's), counting until every completion is in. Cases alternate
// over rounds (a 2-core machine shared with others drifts); the table gives each case's
// median and range. Usage: webhook_bench [DELIVERIES_PER_RUN] [ROUNDS]

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include <curl/curl.h>
#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "sink/completion_queue.hpp"
#include "sink/webhook_sink.hpp"

namespace {

using herald::sink::Completion;
using herald::sink::CompletionQueue;
using herald::sink::Delivery;
using herald::sink::Outcome;
using herald::sink::WebhookSink;
using herald::sink::WebhookSinkSettings;

// Answers every request with 204 on 127.0.0.1:<ephemeral port>; one thread, epoll,
// non-blocking sockets, Content-Length bodies only (what the sink sends).
class FastReceiver {
 public:
  FastReceiver() {
    listen_fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    stop_fd_ = ::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    epoll_fd_ = ::epoll_create1(EPOLL_CLOEXEC);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof address;
    auto* generic = reinterpret_cast<sockaddr*>(&address);
    if (listen_fd_ < 0 || ::bind(listen_fd_, generic, sizeof address) != 0 ||
        ::listen(listen_fd_, 1024) != 0 || ::getsockname(listen_fd_, generic, &length) != 0) {
      throw std::runtime_error("cannot listen on 127.0.0.1");
    }
    port_ = ntohs(address.sin_port);
    watch(listen_fd_);
    watch(stop_fd_);
    thread_ = std::thread([this] { run(); });
  }
  ~FastReceiver() {
    const std::uint64_t one = 1;
    [[maybe_unused]] auto n = ::write(stop_fd_, &one, sizeof one);
    thread_.join();
    for (const auto& [fd, buffer] : buffers_) ::close(fd);
    ::close(listen_fd_);
    ::close(stop_fd_);
    ::close(epoll_fd_);
  }
  FastReceiver(const FastReceiver&) = delete;
  FastReceiver& operator=(const FastReceiver&) = delete;

  std::string url() const { return fmt::format("http://127.0.0.1:{}/hook", port_); }
  std::size_t requests() const { return requests_.load(); }
  std::size_t connections() const { return connections_.load(); }

 private:
  void watch(int fd) {
    epoll_event event{};
    event.events = EPOLLIN;
    event.data.fd = fd;
    ::epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, fd, &event);
  }

  void run() {
    std::array<epoll_event, 128> events{};
    while (true) {
      const int ready = ::epoll_wait(epoll_fd_, events.data(), events.size(), -1);
      for (int i = 0; i < ready; ++i) {
        const int fd = events[static_cast<std::size_t>(i)].data.fd;
        if (fd == stop_fd_) return;
        if (fd == listen_fd_) {
          accept_all();
        } else {
          serve(fd);
        }
      }
    }
  }

  void accept_all() {
    int fd = -1;
    while ((fd = ::accept4(listen_fd_, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC)) >= 0) {
      buffers_[fd];
      connections_.fetch_add(1);
      watch(fd);
    }
  }

  // Reads what is there, answers every complete request in it with one write.
  void serve(int fd) {
    std::string& buffer = buffers_[fd];
    std::array<char, 65536> chunk{};
    ssize_t got = 0;
    while ((got = ::recv(fd, chunk.data(), chunk.size(), 0)) > 0) {
      buffer.append(chunk.data(), static_cast<std::size_t>(got));
    }
    if (got == 0 || (got < 0 && errno != EAGAIN)) {
      ::close(fd);
      buffers_.erase(fd);
      return;
    }
    static constexpr std::string_view kAnswer = "HTTP/1.1 204 No Content\r\n\r\n";
    std::string out;
    std::size_t done = 0;
    while (true) {
      const std::size_t head_end = buffer.find("\r\n\r\n", done);
      if (head_end == std::string::npos) break;
      const std::size_t body =
          content_length(std::string_view(buffer).substr(done, head_end - done));
      if (buffer.size() < head_end + 4 + body) break;
      done = head_end + 4 + body;
      out += kAnswer;
      requests_.fetch_add(1);
    }
    buffer.erase(0, done);
    // Answers are tiny and the client waits for them: a loopback send does not block here.
    if (!out.empty()) [[maybe_unused]]
      auto sent = ::send(fd, out.data(), out.size(), MSG_NOSIGNAL);
  }

  static std::size_t content_length(std::string_view head) {
    static constexpr std::string_view kName = "content-length:";
    for (std::size_t at = head.find("\r\n"); at != std::string_view::npos;
         at = head.find("\r\n", at + 2)) {
      const std::string_view line = head.substr(at + 2, kName.size());
      if (line.size() == kName.size() &&
          std::equal(line.begin(), line.end(), kName.begin(), [](char a, char b) {
            return std::tolower(static_cast<unsigned char>(a)) == b;
          })) {
        return std::strtoull(head.data() + at + 2 + kName.size(), nullptr, 10);
      }
    }
    return 0;
  }

  int listen_fd_ = -1;
  int stop_fd_ = -1;
  int epoll_fd_ = -1;
  std::uint16_t port_ = 0;
  std::map<int, std::string> buffers_;  // the receiver thread's only
  std::atomic<std::size_t> requests_{0};
  std::atomic<std::size_t> connections_{0};
  std::thread thread_;
};

struct Case {
  std::size_t window = 0;
  bool signed_requests = false;
  bool raw_curl = false;  // the yardstick: libcurl alone, no sink
  std::string name() const {
    if (raw_curl) return fmt::format("raw libcurl window {}", window);
    return fmt::format("sink {} window {}", signed_requests ? "signed" : "unsigned", window);
  }
};

struct Run {
  double per_second = 0;
  double cpu_us = 0;  // process CPU (user + system, receiver included) per delivery
  // CPU of the thread that drives libcurl (the sink's worker; the raw case's main thread)
  // per delivery: 1e6 / this is what that thread could do alone on a free core.
  double curl_thread_us = 0;
  std::size_t delivered = 0;
};

// CPU seconds of this process's thread named `name` (/proc/self/task/*/comm), 0 if none.
double thread_cpu_seconds(const std::string& name) {
  for (const auto& task : std::filesystem::directory_iterator("/proc/self/task")) {
    std::string comm;
    std::getline(std::ifstream(task.path() / "comm"), comm);
    if (comm != name) continue;
    std::string stat;
    std::getline(std::ifstream(task.path() / "stat"), stat);
    // Fields after "(comm) ": state is the 3rd field; utime and stime the 14th and 15th.
    std::istringstream fields(stat.substr(stat.rfind(')') + 2));
    std::string skip;
    for (int i = 3; i < 14; ++i) fields >> skip;
    double utime = 0;
    double stime = 0;
    fields >> utime >> stime;
    return (utime + stime) / static_cast<double>(::sysconf(_SC_CLK_TCK));
  }
  return 0;
}

double this_thread_cpu_seconds() {
  rusage usage{};
  ::getrusage(RUSAGE_THREAD, &usage);
  return static_cast<double>(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
         static_cast<double>(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

double cpu_seconds() {
  rusage usage{};
  ::getrusage(RUSAGE_SELF, &usage);
  const auto seconds = [](const timeval& t) {
    return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) / 1e6;
  };
  return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

// A fraiseql event of a typical size (~450 bytes).
std::string event_json(std::size_t i) {
  return fmt::format(
      R"({{"id":"{:016X}-0001","event":"fraiseql.order.created","entity_type":"order",)"
      R"("operation":"created","entity_id":"550e8400-e29b-41d4-a716-{:012}",)"
      R"("entity":{{"id":"550e8400-e29b-41d4-a716-{:012}","status":"paid","total":42.5,)"
      R"("customer_id":"c-{}","items":[{{"sku":"A-1","qty":2}},{{"sku":"B-7","qty":1}}]}},)"
      R"("old":null,"changed":[],"table":"public.tb_order","timestamp":"2026-03-02T14:00:00.123456Z",)"
      R"("txid":{},"lsn":"0/1A2B3C4"}})",
      i, i, i, i % 977, 1000 + i);
}

std::optional<Run> run_case(const FastReceiver& receiver, const Case& c, std::size_t count) {
  CompletionQueue queue;
  WebhookSinkSettings settings;
  settings.url = receiver.url();
  settings.max_in_flight = c.window;
  settings.headers = {{"X-Team", "billing"}};
  if (c.signed_requests) settings.secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
  auto sink = WebhookSink::create(settings, queue);
  if (!sink) {
    fmt::print(stderr, "{}\n", sink.error().message);
    return std::nullopt;
  }
  std::vector<Delivery> deliveries;
  deliveries.reserve(count);
  for (std::size_t i = 0; i < count; ++i) {
    deliveries.push_back(Delivery{i, fmt::format("{:016X}-0001", i), "", event_json(i)});
  }
  std::vector<Completion> done;
  done.reserve(count);
  const auto wait = [&](int timeout_ms) {
    pollfd entry{queue.wake_fd(), POLLIN, 0};
    const int ready = ::poll(&entry, 1, timeout_ms);
    queue.drain(done);
    return ready > 0;
  };
  const double cpu_start = cpu_seconds();
  const auto start = std::chrono::steady_clock::now();
  for (const auto& delivery : deliveries) {
    while (!(*sink)->submit(delivery)) wait(1000);
  }
  while (done.size() < count && wait(10000)) {
  }
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  Run run{static_cast<double>(done.size()) / seconds,
          (cpu_seconds() - cpu_start) * 1e6 / static_cast<double>(count),
          thread_cpu_seconds("herald-webhook") * 1e6 / static_cast<double>(count), 0};
  for (const auto& completion : done) run.delivered += completion.outcome == Outcome::Delivered;
  return run;
}

// The same POSTs through a bare libcurl multi handle on this thread (handles recycled as
// they finish, one static header list, no signing, no queue): what libcurl alone does on
// this machine at this moment, the yardstick for the sink's overhead.
std::optional<Run> run_raw_curl(const FastReceiver& receiver, std::size_t window,
                                std::size_t count) {
  curl_global_init(CURL_GLOBAL_DEFAULT);
  CURLM* multi = curl_multi_init();
  curl_slist* headers = nullptr;
  for (const char* line : {"Content-Type: application/json", "Expect:", "X-Team: billing",
                           "webhook-id: 0000000000000001-0001", "webhook-timestamp: 1700000000"}) {
    headers = curl_slist_append(headers, line);
  }
  std::vector<std::string> bodies;
  bodies.reserve(count);
  for (std::size_t i = 0; i < count; ++i) bodies.push_back(event_json(i));
  const std::string url = receiver.url();
  std::size_t next = 0;
  std::size_t finished = 0;
  std::size_t delivered = 0;
  const auto start_one = [&](CURL* easy) {
    curl_easy_setopt(easy, CURLOPT_POSTFIELDSIZE_LARGE,
                     static_cast<curl_off_t>(bodies[next].size()));
    curl_easy_setopt(easy, CURLOPT_POSTFIELDS, bodies[next].data());
    ++next;
    curl_multi_add_handle(multi, easy);
  };
  std::vector<CURL*> handles;
  const double cpu_start = cpu_seconds();
  const double thread_start = this_thread_cpu_seconds();
  const auto start = std::chrono::steady_clock::now();
  for (std::size_t i = 0; i < window && next < count; ++i) {
    CURL* easy = curl_easy_init();
    curl_easy_setopt(easy, CURLOPT_URL, url.c_str());
    curl_easy_setopt(easy, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(easy, CURLOPT_HTTP_VERSION, static_cast<long>(CURL_HTTP_VERSION_1_1));
    curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);
    handles.push_back(easy);
    start_one(easy);
  }
  while (finished < count) {
    int running = 0;
    curl_multi_perform(multi, &running);
    int left = 0;
    while (CURLMsg* message = curl_multi_info_read(multi, &left)) {
      if (message->msg != CURLMSG_DONE) continue;
      CURL* easy = message->easy_handle;
      long status = 0;
      if (message->data.result == CURLE_OK)
        curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &status);
      curl_multi_remove_handle(multi, easy);
      delivered += status == 204;
      ++finished;
      if (next < count) start_one(easy);
    }
    if (finished < count) curl_multi_poll(multi, nullptr, 0, 1000, nullptr);
  }
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  const Run run{static_cast<double>(count) / seconds,
                (cpu_seconds() - cpu_start) * 1e6 / static_cast<double>(count),
                (this_thread_cpu_seconds() - thread_start) * 1e6 / static_cast<double>(count),
                delivered};
  for (CURL* easy : handles) curl_easy_cleanup(easy);
  curl_slist_free_all(headers);
  curl_multi_cleanup(multi);
  return run;
}

}  // namespace

int main(int argc, char** argv) {
  spdlog::set_level(spdlog::level::warn);
  const std::size_t count = argc > 1 ? std::strtoull(argv[1], nullptr, 10) : 100'000;
  const int rounds = argc > 2 ? std::atoi(argv[2]) : 3;
  FastReceiver receiver;
  const std::vector<Case> cases{{64, false, true},
                                {16, false, false},
                                {64, false, false},
                                {256, false, false},
                                {64, true, false}};
  std::map<std::string, std::vector<Run>> runs;
  for (int round = 0; round < rounds; ++round) {
    for (std::size_t k = 0; k < cases.size(); ++k) {
      const Case& c = cases[(k + static_cast<std::size_t>(round)) % cases.size()];
      const auto run =
          c.raw_curl ? run_raw_curl(receiver, c.window, count) : run_case(receiver, c, count);
      if (!run) return 1;
      runs[c.name()].push_back(*run);
    }
  }
  fmt::print(
      "webhook deliveries/s to a local 204 receiver, {} deliveries per run, {} rounds, "
      "~{} byte events\n",
      count, rounds, event_json(0).size());
  fmt::print("{:<26} {:>9} {:>9} {:>9} {:>10} {:>13} {:>9} {:>13}\n", "case", "median/s", "min/s",
             "max/s", "CPU us/ea", "curl-thr us/ea", "=> max/s", "delivered");
  const auto median_of = [](const std::vector<Run>& list, double Run::*field) {
    std::vector<double> values;
    for (const auto& r : list) values.push_back(r.*field);
    std::sort(values.begin(), values.end());
    return values[values.size() / 2];
  };
  for (const auto& c : cases) {
    auto& list = runs[c.name()];
    std::sort(list.begin(), list.end(),
              [](const Run& a, const Run& b) { return a.per_second < b.per_second; });
    std::size_t delivered = 0;
    for (const auto& r : list) delivered += r.delivered;
    const double thread_us = median_of(list, &Run::curl_thread_us);
    fmt::print("{:<26} {:>9.0f} {:>9.0f} {:>9.0f} {:>10.1f} {:>13.1f} {:>9.0f} {:>13}\n", c.name(),
               list[list.size() / 2].per_second, list.front().per_second, list.back().per_second,
               median_of(list, &Run::cpu_us), thread_us, thread_us > 0 ? 1e6 / thread_us : 0.0,
               fmt::format("{}/{}", delivered, count * list.size()));
  }
  fmt::print(
      "(=> max/s: what the libcurl thread alone could do on a free core, from its CPU time)\n");
  fmt::print("receiver: {} requests on {} connections\n", receiver.requests(),
             receiver.connections());
  return 0;
}
