#include "webhook_test_receiver.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdlib>
#include <optional>
#include <stdexcept>

#include <fmt/format.h>

namespace herald::testing {

namespace {

std::string lowercase(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

std::string_view reason_phrase(int status) {
  switch (status) {
    case 200:
      return "OK";
    case 204:
      return "No Content";
    case 301:
      return "Moved Permanently";
    case 302:
      return "Found";
    case 400:
      return "Bad Request";
    case 404:
      return "Not Found";
    case 408:
      return "Request Timeout";
    case 410:
      return "Gone";
    case 429:
      return "Too Many Requests";
    case 500:
      return "Internal Server Error";
    case 503:
      return "Service Unavailable";
    default:
      return "Status";
  }
}

bool send_all(int fd, std::string_view data) {
  while (!data.empty()) {
    const ssize_t sent = ::send(fd, data.data(), data.size(), MSG_NOSIGNAL);
    if (sent <= 0) return false;
    data.remove_prefix(static_cast<std::size_t>(sent));
  }
  return true;
}

// Reads more bytes into `buffer`; false when the peer closed, on error, or when the
// receiver stops (stop_fd readable).
bool read_more(int fd, int stop_fd, std::string& buffer) {
  std::array<pollfd, 2> fds{pollfd{fd, POLLIN, 0}, pollfd{stop_fd, POLLIN, 0}};
  if (::poll(fds.data(), fds.size(), -1) <= 0 || (fds[1].revents & POLLIN) != 0) return false;
  std::array<char, 16384> chunk{};
  const ssize_t got = ::recv(fd, chunk.data(), chunk.size(), 0);
  if (got <= 0) return false;
  buffer.append(chunk.data(), static_cast<std::size_t>(got));
  return true;
}

// Parses the request head (request line and headers, without the blank line).
ReceivedRequest parse_head(std::string_view head) {
  ReceivedRequest request;
  auto line_end = head.find("\r\n");
  const std::string_view first = head.substr(0, line_end);
  const auto space1 = first.find(' ');
  const auto space2 = first.find(' ', space1 + 1);
  request.method = std::string(first.substr(0, space1));
  request.target = std::string(first.substr(space1 + 1, space2 - space1 - 1));
  while (line_end != std::string_view::npos) {
    const auto start = line_end + 2;
    line_end = head.find("\r\n", start);
    const std::string_view line = head.substr(start, line_end - start);
    const auto colon = line.find(':');
    if (colon == std::string_view::npos) continue;
    std::string_view value = line.substr(colon + 1);
    while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
    request.headers[lowercase(std::string(line.substr(0, colon)))] = std::string(value);
  }
  return request;
}

}  // namespace

std::string ReceivedRequest::header(const std::string& lowercase_name) const {
  const auto found = headers.find(lowercase_name);
  return found == headers.end() ? std::string() : found->second;
}

WebhookTestReceiver::WebhookTestReceiver() {
  listen_fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  stop_fd_ = ::eventfd(0, EFD_CLOEXEC);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = 0;
  socklen_t length = sizeof address;
  auto* generic = reinterpret_cast<sockaddr*>(&address);
  if (listen_fd_ < 0 || stop_fd_ < 0 || ::bind(listen_fd_, generic, sizeof address) != 0 ||
      ::listen(listen_fd_, 256) != 0 || ::getsockname(listen_fd_, generic, &length) != 0) {
    throw std::runtime_error("the webhook test receiver cannot listen on 127.0.0.1");
  }
  port_ = ntohs(address.sin_port);
  acceptor_ = std::thread([this] { accept_loop(); });
}

WebhookTestReceiver::~WebhookTestReceiver() {
  {
    const std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  stopping_cv_.notify_all();
  const std::uint64_t one = 1;
  [[maybe_unused]] const auto written = ::write(stop_fd_, &one, sizeof one);
  acceptor_.join();
  for (auto& thread : connection_threads_) thread.join();
  ::close(listen_fd_);
  ::close(stop_fd_);
}

std::string WebhookTestReceiver::url(const std::string& path) const {
  return fmt::format("http://127.0.0.1:{}{}", port_, path);
}

void WebhookTestReceiver::script(std::vector<ScriptedResponse> responses) {
  const std::lock_guard lock(mutex_);
  for (auto& response : responses) script_.push_back(std::move(response));
}

void WebhookTestReceiver::set_default(ScriptedResponse response) {
  const std::lock_guard lock(mutex_);
  default_response_ = std::move(response);
}

std::vector<ReceivedRequest> WebhookTestReceiver::requests() const {
  const std::lock_guard lock(mutex_);
  return requests_;
}

std::size_t WebhookTestReceiver::request_count() const {
  const std::lock_guard lock(mutex_);
  return requests_.size();
}

std::size_t WebhookTestReceiver::connection_count() const {
  const std::lock_guard lock(mutex_);
  return connections_;
}

void WebhookTestReceiver::accept_loop() {
  while (true) {
    std::array<pollfd, 2> fds{pollfd{listen_fd_, POLLIN, 0}, pollfd{stop_fd_, POLLIN, 0}};
    if (::poll(fds.data(), fds.size(), -1) < 0 || (fds[1].revents & POLLIN) != 0) return;
    const int fd = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
    if (fd < 0) continue;
    const std::lock_guard lock(mutex_);
    const std::size_t number = ++connections_;
    connection_threads_.emplace_back([this, fd, number] { serve(fd, number); });
  }
}

void WebhookTestReceiver::serve(int fd, std::size_t connection) {
  std::string buffer;
  bool open = true;
  while (open) {
    std::size_t head_end = buffer.find("\r\n\r\n");
    while (head_end == std::string::npos && (open = read_more(fd, stop_fd_, buffer))) {
      head_end = buffer.find("\r\n\r\n");
    }
    if (!open) break;
    ReceivedRequest request = parse_head(std::string_view(buffer).substr(0, head_end));
    request.connection = connection;
    buffer.erase(0, head_end + 4);
    const std::size_t length = std::strtoull(request.header("content-length").c_str(), nullptr, 10);
    if (lowercase(request.header("expect")) == "100-continue") {
      send_all(fd, "HTTP/1.1 100 Continue\r\n\r\n");
    }
    while (buffer.size() < length && (open = read_more(fd, stop_fd_, buffer))) {
    }
    if (!open) break;
    request.body = buffer.substr(0, length);
    buffer.erase(0, length);
    const bool close_after = lowercase(request.header("connection")) == "close";
    request.received_at = std::chrono::steady_clock::now();
    const ScriptedResponse response = next_response(request);
    request.answered = response.never_answer || response.reset ? 0 : response.status;
    {
      const std::lock_guard lock(mutex_);
      requests_.push_back(std::move(request));
    }
    if (response.never_answer) {
      // Say nothing; read (and drop) until the client gives up or the receiver stops.
      while (read_more(fd, stop_fd_, buffer)) buffer.clear();
      break;
    }
    if (response.reset) {
      // SO_LINGER with a zero timeout: close() sends RST instead of FIN.
      const linger abort_on_close{1, 0};
      ::setsockopt(fd, SOL_SOCKET, SO_LINGER, &abort_on_close, sizeof abort_on_close);
      break;
    }
    if (!pause_unless_stopping(response.delay)) break;
    std::string text = fmt::format("HTTP/1.1 {} {}\r\nContent-Length: {}\r\n", response.status,
                                   reason_phrase(response.status), response.body.size());
    for (const auto& [name, value] : response.headers)
      text += fmt::format("{}: {}\r\n", name, value);
    text += "\r\n" + response.body;
    open = send_all(fd, text) && !close_after;
  }
  ::close(fd);
}

void WebhookTestReceiver::set_responder(Responder responder) {
  const std::lock_guard lock(mutex_);
  responder_ = std::move(responder);
}

ScriptedResponse WebhookTestReceiver::next_response(const ReceivedRequest& request) {
  Responder responder;
  {
    const std::lock_guard lock(mutex_);
    responder = responder_;
  }
  // Outside the lock: a responder may look at the receiver (request_count(), ...).
  if (responder) {
    if (auto decided = responder(request)) return std::move(*decided);
  }
  const std::lock_guard lock(mutex_);
  if (script_.empty()) return default_response_;
  ScriptedResponse response = std::move(script_.front());
  script_.pop_front();
  return response;
}

bool WebhookTestReceiver::pause_unless_stopping(std::chrono::milliseconds pause) {
  std::unique_lock lock(mutex_);
  return !stopping_cv_.wait_for(lock, pause, [this] { return stopping_; });
}

}  // namespace herald::testing
