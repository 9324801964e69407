#include "support/net.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

#include <fmt/format.h>

namespace herald::testing {

namespace {

// Owns a socket descriptor.
class Socket {
 public:
  Socket() : fd_(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)) {
    if (fd_ < 0) throw std::runtime_error(fmt::format("socket: {}", std::strerror(errno)));
  }
  ~Socket() { ::close(fd_); }
  Socket(const Socket&) = delete;
  Socket& operator=(const Socket&) = delete;
  int fd() const { return fd_; }

 private:
  int fd_;
};

sockaddr_in loopback(std::uint16_t port) {
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  return address;
}

bool connect_loopback(const Socket& socket, std::uint16_t port) {
  const sockaddr_in address = loopback(port);
  return ::connect(socket.fd(), reinterpret_cast<const sockaddr*>(&address), sizeof address) == 0;
}

void set_io_timeout(const Socket& socket, std::chrono::milliseconds timeout) {
  timeval tv{};
  tv.tv_sec = static_cast<time_t>(timeout.count() / 1000);
  tv.tv_usec = static_cast<suseconds_t>((timeout.count() % 1000) * 1000);
  ::setsockopt(socket.fd(), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  ::setsockopt(socket.fd(), SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
}

}  // namespace

std::uint16_t pick_free_port() {
  Socket socket;
  sockaddr_in address = loopback(0);
  if (::bind(socket.fd(), reinterpret_cast<const sockaddr*>(&address), sizeof address) != 0) {
    throw std::runtime_error(fmt::format("bind 127.0.0.1:0: {}", std::strerror(errno)));
  }
  socklen_t length = sizeof address;
  if (::getsockname(socket.fd(), reinterpret_cast<sockaddr*>(&address), &length) != 0) {
    throw std::runtime_error(fmt::format("getsockname: {}", std::strerror(errno)));
  }
  return ntohs(address.sin_port);
}

bool port_accepts_connections(std::uint16_t port) {
  Socket socket;
  return connect_loopback(socket, port);
}

namespace {

// Connects to 127.0.0.1:port and sends an HTTP/1.0 GET for `target` (the server closes the
// connection after its answer); false when that fails.
bool send_get(Socket& socket, std::uint16_t port, const std::string& target,
              std::chrono::milliseconds timeout) {
  set_io_timeout(socket, timeout);
  if (!connect_loopback(socket, port)) return false;
  const std::string request =
      fmt::format("GET {} HTTP/1.0\r\nHost: 127.0.0.1:{}\r\n\r\n", target, port);
  return ::send(socket.fd(), request.data(), request.size(), MSG_NOSIGNAL) ==
         static_cast<ssize_t>(request.size());
}

std::optional<int> status_of(const std::string& response) {
  int status = 0;
  if (std::sscanf(response.c_str(), "HTTP/%*d.%*d %d", &status) != 1) return std::nullopt;
  return status;
}

}  // namespace

std::optional<int> http_get_status(std::uint16_t port, const std::string& target,
                                   std::chrono::milliseconds timeout) {
  Socket socket;
  if (!send_get(socket, port, target, timeout)) return std::nullopt;
  // The status line ("HTTP/1.1 200 OK") arrives first; that is all a probe needs.
  std::string head;
  char buffer[256];
  while (head.find("\r\n") == std::string::npos && head.size() < 4096) {
    const ssize_t got = ::recv(socket.fd(), buffer, sizeof buffer, 0);
    if (got <= 0) break;
    head.append(buffer, static_cast<std::size_t>(got));
  }
  return status_of(head);
}

std::optional<std::string> http_get_body(std::uint16_t port, const std::string& target,
                                         std::chrono::milliseconds timeout) {
  Socket socket;
  if (!send_get(socket, port, target, timeout)) return std::nullopt;
  std::string response;
  char buffer[4096];
  while (true) {
    const ssize_t got = ::recv(socket.fd(), buffer, sizeof buffer, 0);
    if (got < 0) return std::nullopt;  // the timeout passed
    if (got == 0) break;               // the end of the answer
    response.append(buffer, static_cast<std::size_t>(got));
  }
  const std::size_t body = response.find("\r\n\r\n");
  if (status_of(response) != 200 || body == std::string::npos) return std::nullopt;
  return response.substr(body + 4);
}

}  // namespace herald::testing
