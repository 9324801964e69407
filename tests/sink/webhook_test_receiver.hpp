#pragma once
// A small threaded HTTP/1.1 server on 127.0.0.1 (port 0) for the webhook sink's tests: it
// answers requests with a script of responses in arrival order (status, headers, body, a
// delay, or no answer at all), falls back to a default response when the script runs out,
// and records every request with its headers, body and the connection it came on.
// Keep-alive like any HTTP/1.1 server: one connection serves requests until the client
// closes it. It is a misbehaving peer on demand, not an HTTP implementation to rely on:
// Content-Length bodies only (what libcurl sends for a POST of known size).

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <optional>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace herald::testing {

struct ReceivedRequest {
  std::string method;
  std::string target;
  std::map<std::string, std::string> headers;  // names lowercased; a repeated name keeps the last
  std::string body;
  std::size_t connection = 0;  // 1 for the first accepted connection, 2 for the next, ...
  std::chrono::steady_clock::time_point received_at;  // when the whole request was in
  int answered = 0;  // the status sent back; 0 for no answer (silence, reset)

  std::string header(const std::string& lowercase_name) const;  // "" when absent
};

struct ScriptedResponse {
  int status = 200;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  std::chrono::milliseconds delay{0};  // before answering
  bool never_answer = false;           // hold the connection open and say nothing
  bool reset = false;                  // close the connection with a TCP RST, no answer

  static ScriptedResponse with_status(int status, std::string body = {}) {
    ScriptedResponse response;
    response.status = status;
    response.body = std::move(body);
    return response;
  }
  static ScriptedResponse silence() {
    ScriptedResponse response;
    response.never_answer = true;
    return response;
  }
  static ScriptedResponse connection_reset() {
    ScriptedResponse response;
    response.reset = true;
    return response;
  }
  ScriptedResponse& header(std::string name, std::string value) {
    headers.emplace_back(std::move(name), std::move(value));
    return *this;
  }
};

class WebhookTestReceiver {
 public:
  WebhookTestReceiver();  // listening when constructed; throws when it cannot bind
  ~WebhookTestReceiver();
  WebhookTestReceiver(const WebhookTestReceiver&) = delete;
  WebhookTestReceiver& operator=(const WebhookTestReceiver&) = delete;

  std::uint16_t port() const { return port_; }
  std::string url(const std::string& path = "/hook") const;

  // Appends to the script; each request takes the next entry.
  void script(std::vector<ScriptedResponse> responses);
  // What requests get once the script is used up (initially 200 with an empty body).
  void set_default(ScriptedResponse response);
  // Decides from the request itself (its body, its headers) before the script is asked;
  // nullopt leaves the request to the script. Runs on a connection's thread.
  using Responder = std::function<std::optional<ScriptedResponse>(const ReceivedRequest&)>;
  void set_responder(Responder responder);

  std::vector<ReceivedRequest> requests() const;
  std::size_t request_count() const;
  std::size_t connection_count() const;  // TCP connections accepted so far

 private:
  void accept_loop();
  void serve(int fd, std::size_t connection);
  ScriptedResponse next_response(const ReceivedRequest& request);
  // Sleeps up to `pause`, or until the receiver stops; false when it stopped.
  bool pause_unless_stopping(std::chrono::milliseconds pause);

  int listen_fd_ = -1;
  int stop_fd_ = -1;  // eventfd: readable once the receiver stops
  std::uint16_t port_ = 0;

  mutable std::mutex mutex_;
  std::condition_variable stopping_cv_;
  bool stopping_ = false;
  std::deque<ScriptedResponse> script_;
  ScriptedResponse default_response_;
  Responder responder_;
  std::vector<ReceivedRequest> requests_;
  std::size_t connections_ = 0;
  std::vector<std::thread> connection_threads_;
  std::thread acceptor_;
};

}  // namespace herald::testing
