// The HTTP server over real sockets with a Beast client: routes, health, readiness,
// metrics, limits, deadlines, keep-alive, max_connections, graceful stop.
#include <gtest/gtest.h>

#include <atomic>
#include <future>
#include <mutex>
#include <thread>

#include "common/metrics.hpp"
#include "server/health.hpp"
#include "server/http_client.hpp"
#include "server/http_server.hpp"
#include "support/eventually.hpp"

namespace herald::server {
namespace {

using namespace std::chrono_literals;
using herald::testing::HttpClient;
using herald::testing::HttpRequest;

class HttpServerTest : public ::testing::Test {
 protected:
  void start(Settings settings = {}) {
    settings.port = 0;
    Router router;
    add_health_routes(router, [this] {
      std::lock_guard lock(mutex_);
      return readiness_;
    });
    add_metrics_route(router, metrics_.registry);
    router.add("/echo", {http::verb::post}, [](Request request, Reply reply) {
      reply(make_response(http::status::ok, "text/plain", request.body()));
    });
    // Answers from another thread once `gate_` opens; never when it does not.
    router.add("/held", {http::verb::get}, [this](Request, Reply reply) {
      std::lock_guard lock(mutex_);
      held_.push_back(std::move(reply));
      held_count_.fetch_add(1);
    });
    auto started = HttpServer::start(settings, std::move(router));
    ASSERT_TRUE(started.ok()) << started.error().message;
    server_ = std::move(*started);
  }

  void release_held(std::string body) {
    std::vector<Reply> replies;
    {
      std::lock_guard lock(mutex_);
      replies.swap(held_);
    }
    for (auto& reply : replies) {
      std::thread([reply, body] {
        reply(make_response(http::status::ok, "text/plain", body));
      }).join();
    }
  }

  std::uint16_t port() const { return server_->port(); }

  std::mutex mutex_;
  Readiness readiness_;
  std::vector<Reply> held_;
  std::atomic<int> held_count_{0};
  HeraldMetrics metrics_;
  std::unique_ptr<HttpServer> server_;
};

TEST_F(HttpServerTest, HealthzAnswersOk) {
  start();
  EXPECT_NE(port(), 0);
  auto response = herald::testing::http_get(port(), "/healthz");
  ASSERT_TRUE(response);
  EXPECT_EQ(response->result(), http::status::ok);
  EXPECT_EQ(response->body(), "ok\n");
}

TEST_F(HttpServerTest, ReadyzSaysWhichPartIsNotReady) {
  start();
  auto ready = herald::testing::http_get(port(), "/readyz");
  ASSERT_TRUE(ready);
  EXPECT_EQ(ready->result(), http::status::ok);
  EXPECT_EQ(ready->body(),
            "{\"status\":\"ready\",\"database\":\"ok\",\"broker\":\"ok\",\"slot\":\"ok\"}\n");
  {
    std::lock_guard lock(mutex_);
    readiness_.broker = "nats: connection refused";
  }
  auto not_ready = herald::testing::http_get(port(), "/readyz");
  ASSERT_TRUE(not_ready);
  EXPECT_EQ(not_ready->result(), http::status::service_unavailable);
  EXPECT_EQ(not_ready->body(),
            "{\"status\":\"not ready\",\"database\":\"ok\",\"broker\":\"nats: connection "
            "refused\",\"slot\":\"ok\"}\n");
  EXPECT_EQ((*not_ready)[http::field::content_type], "application/json; charset=utf-8");
}

TEST_F(HttpServerTest, MetricsAreServedAsPrometheusText) {
  start();
  metrics_.events_captured.with({"orders"}).inc(7);
  auto response = herald::testing::http_get(port(), "/metrics");
  ASSERT_TRUE(response);
  EXPECT_EQ(response->result(), http::status::ok);
  EXPECT_EQ((*response)[http::field::content_type], "text/plain; version=0.0.4; charset=utf-8");
  EXPECT_NE(response->body().find("herald_events_captured_total{rule=\"orders\"} 7\n"),
            std::string::npos);
  EXPECT_EQ(response->body(), metrics_.registry.render());
}

TEST_F(HttpServerTest, UnknownPathIs404AndWrongMethodIs405WithAllow) {
  start();
  HttpClient client(port());
  auto missing = client.get("/nope");
  ASSERT_TRUE(missing) << client.last_error();
  EXPECT_EQ(missing->result(), http::status::not_found);
  auto wrong = client.post("/healthz", "text/plain", "x");
  ASSERT_TRUE(wrong) << client.last_error();
  EXPECT_EQ(wrong->result(), http::status::method_not_allowed);
  EXPECT_EQ((*wrong)[http::field::allow], "GET");
}

TEST_F(HttpServerTest, KeepAliveServesManyRequestsOnOneConnection) {
  start();
  HttpClient client(port());
  for (int i = 0; i < 5; ++i) {
    auto response = client.post("/echo", "text/plain", "hello " + std::to_string(i));
    ASSERT_TRUE(response) << i << ": " << client.last_error();
    EXPECT_EQ(response->body(), "hello " + std::to_string(i));
    EXPECT_TRUE(response->keep_alive());
  }
}

TEST_F(HttpServerTest, Http10WithoutKeepAliveIsClosedAfterTheAnswer) {
  start();
  HttpClient client(port());
  auto response = client.send_raw("GET /healthz HTTP/1.0\r\n\r\n");
  ASSERT_TRUE(response) << client.last_error();
  EXPECT_EQ(response->result(), http::status::ok);
  EXPECT_TRUE(client.closed_by_server());
}

TEST_F(HttpServerTest, BodyOverTheLimitIs413AndClosed) {
  Settings settings;
  settings.body_limit = 1024;
  start(settings);
  HttpClient client(port());
  auto small = client.post("/echo", "text/plain", std::string(1024, 'a'));
  ASSERT_TRUE(small) << client.last_error();
  EXPECT_EQ(small->result(), http::status::ok);
  auto large = client.post("/echo", "text/plain", std::string(1025, 'a'));
  ASSERT_TRUE(large) << client.last_error();
  EXPECT_EQ(large->result(), http::status::payload_too_large);
  EXPECT_TRUE(client.closed_by_server());
}

TEST_F(HttpServerTest, HeaderOverTheLimitIs431) {
  Settings settings;
  settings.header_limit = 2048;
  start(settings);
  HttpClient client(port());
  HttpRequest request{http::verb::get, "/healthz", 11};
  request.set("X-Big", std::string(4096, 'b'));
  auto response = client.send(std::move(request));
  ASSERT_TRUE(response) << client.last_error();
  EXPECT_EQ(response->result(), http::status::request_header_fields_too_large);
}

TEST_F(HttpServerTest, MalformedRequestIs400) {
  start();
  HttpClient client(port());
  auto response = client.send_raw("GET /healthz HTTP/1.1\r\nBad Header\r\n\r\n");
  ASSERT_TRUE(response) << client.last_error();
  EXPECT_EQ(response->result(), http::status::bad_request);
}

TEST_F(HttpServerTest, IdleConnectionIsClosedAtTheReadDeadline) {
  Settings settings;
  settings.read_timeout = 200ms;
  start(settings);
  HttpClient client(port());
  EXPECT_TRUE(client.closed_by_server(5s));
}

TEST_F(HttpServerTest, HandlerPastItsDeadlineGets504AndALateReplyIsDropped) {
  Settings settings;
  settings.handler_timeout = 200ms;
  start(settings);
  HttpClient client(port());
  auto response = client.get("/held");
  ASSERT_TRUE(response) << client.last_error();
  EXPECT_EQ(response->result(), http::status::gateway_timeout);
  release_held("late");
  auto next = client.get("/healthz");  // the late reply did not answer this one
  ASSERT_TRUE(next) << client.last_error();
  EXPECT_EQ(next->body(), "ok\n");
}

TEST_F(HttpServerTest, MaxConnectionsRefusesTheNextWith503) {
  Settings settings;
  settings.max_connections = 2;
  start(settings);
  auto first = std::make_unique<HttpClient>(port());
  HttpClient second(port());
  ASSERT_TRUE(first->get("/healthz"));
  ASSERT_TRUE(second.get("/healthz"));
  HttpClient third(port());
  auto refused = third.get("/healthz");
  ASSERT_TRUE(refused) << third.last_error();
  EXPECT_EQ(refused->result(), http::status::service_unavailable);
  EXPECT_TRUE(third.closed_by_server());
  first.reset();  // a slot frees up once the server sees the close
  EXPECT_TRUE(herald::testing::eventually(
      [&] {
        auto response = herald::testing::http_get(port(), "/healthz");
        return response && response->result() == http::status::ok;
      },
      5s));
}

TEST_F(HttpServerTest, StopFinishesTheRequestInFlightThenRefusesConnections) {
  start();
  HttpClient idle(port());
  ASSERT_TRUE(idle.get("/healthz"));
  auto in_flight = std::async(std::launch::async, [port = port()] {
    HttpClient client(port);
    return client.get("/held");
  });
  ASSERT_TRUE(herald::testing::eventually([&] { return held_count_.load() == 1; }, 5s));
  auto stopped = std::async(std::launch::async, [this] { server_->stop(); });
  EXPECT_TRUE(idle.closed_by_server());                             // idle connections go at once
  EXPECT_EQ(stopped.wait_for(100ms), std::future_status::timeout);  // still waiting
  release_held("finished");
  auto response = in_flight.get();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->result(), http::status::ok);
  EXPECT_EQ(response->body(), "finished");
  EXPECT_FALSE(response->keep_alive());
  stopped.get();
  HttpClient after(port());
  EXPECT_FALSE(after.get("/healthz"));
}

TEST(HttpServerStart, PortInUseIsAnErrorNamingTheAddress) {
  Settings settings;
  settings.port = 0;
  auto first = HttpServer::start(settings, Router{});
  ASSERT_TRUE(first.ok());
  settings.port = (*first)->port();
  auto second = HttpServer::start(settings, Router{});
  ASSERT_FALSE(second.ok());
  EXPECT_NE(second.error().message.find("127.0.0.1:" + std::to_string(settings.port)),
            std::string::npos)
      << second.error().message;
  settings.host = "not-an-address";
  EXPECT_FALSE(HttpServer::start(settings, Router{}).ok());
}

}  // namespace
}  // namespace herald::server
