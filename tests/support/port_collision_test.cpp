// When a server's port is taken while it is stopped, start() says so instead of hanging
// or starting somewhere else (tests rely on the same port across restarts).

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdint>
#include <stdexcept>
#include <string>

#include "support/servers.hpp"

namespace herald::testing {
namespace {

// Listens on 127.0.0.1:port for its lifetime, as another program would.
class PortSquatter {
 public:
  explicit PortSquatter(std::uint16_t port) : fd_(::socket(AF_INET, SOCK_STREAM, 0)) {
    const int yes = 1;
    ::setsockopt(fd_, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(port);
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    bound_ = ::bind(fd_, reinterpret_cast<const sockaddr*>(&address), sizeof address) == 0 &&
             ::listen(fd_, 1) == 0;
  }
  ~PortSquatter() { ::close(fd_); }
  PortSquatter(const PortSquatter&) = delete;
  PortSquatter& operator=(const PortSquatter&) = delete;
  bool bound() const { return bound_; }

 private:
  int fd_;
  bool bound_ = false;
};

template <class Server>
std::string restart_error(Server& server, std::uint16_t port) {
  server.stop();
  const PortSquatter squatter(port);
  EXPECT_TRUE(squatter.bound());
  try {
    server.start();
  } catch (const std::runtime_error& error) {
    return error.what();
  }
  return "start() did not throw";
}

TEST(PortCollision, PostgresSaysItsPortWasTaken) {
  PostgresServer server;
  const std::string error = restart_error(server, server.port());
  EXPECT_NE(error.find("took port " + std::to_string(server.port())), std::string::npos) << error;
  EXPECT_FALSE(server.running());
  server.start();  // free again
  EXPECT_EQ(server.scalar("SELECT 1"), "1");
}

TEST(PortCollision, NatsSaysItsPortWasTaken) {
  NatsServer server;
  const std::string error = restart_error(server, server.port());
  EXPECT_NE(error.find("was taken meanwhile"), std::string::npos) << error;
  server.start();
  EXPECT_TRUE(port_accepts_connections(server.port()));
}

TEST(PortCollision, RedisSaysItsPortWasTaken) {
  RedisServer server;
  const std::string error = restart_error(server, server.port());
  EXPECT_NE(error.find("was taken meanwhile"), std::string::npos) << error;
  server.start();
  EXPECT_TRUE(server.running());
}

}  // namespace
}  // namespace herald::testing
