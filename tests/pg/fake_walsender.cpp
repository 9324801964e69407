#include "fake_walsender.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <stdexcept>

namespace herald::pg::test {

std::string be64(std::uint64_t value) {
  std::string out(8, '\0');
  for (int i = 0; i < 8; ++i)
    out[static_cast<std::size_t>(i)] = static_cast<char>(value >> (56 - 8 * i));
  return out;
}

std::string be32(std::uint32_t value) {
  std::string out(4, '\0');
  for (int i = 0; i < 4; ++i)
    out[static_cast<std::size_t>(i)] = static_cast<char>(value >> (24 - 8 * i));
  return out;
}

std::uint32_t read_be32(const char* bytes) {
  std::uint32_t value = 0;
  for (std::size_t i = 0; i < 4; ++i) value = (value << 8) | static_cast<unsigned char>(bytes[i]);
  return value;
}

std::uint64_t read_be64(const std::string& bytes, std::size_t at) {
  std::uint64_t value = 0;
  for (std::size_t i = 0; i < 8; ++i)
    value = (value << 8) | static_cast<unsigned char>(bytes.at(at + i));
  return value;
}

bool FakePeer::read_exact(char* out, std::size_t size) {
  std::size_t done = 0;
  while (done < size) {
    const ssize_t got = ::recv(socket_, out + done, size - done, 0);
    if (got <= 0) return false;
    done += static_cast<std::size_t>(got);
  }
  return true;
}

void FakePeer::accept_startup() {
  char length_bytes[4];
  ASSERT_TRUE(read_exact(length_bytes, 4));
  const std::uint32_t length = read_be32(length_bytes);
  ASSERT_GE(length, 8u);
  std::string packet(length - 4, '\0');
  ASSERT_TRUE(read_exact(packet.data(), packet.size()));
  ASSERT_EQ(read_be32(packet.data()), 196608u) << "not a protocol 3.0 startup packet";
  send('R', be32(0));  // AuthenticationOk
  send('S', std::string("server_version\0"
                        "15.0\0",
                        20));
  send('K', be32(4242) + be32(1));
  send('Z', "I");
}

std::optional<FrontendMessage> FakePeer::read_message() {
  char header[5];
  if (!read_exact(header, 5)) return std::nullopt;
  FrontendMessage message;
  message.type = header[0];
  const std::uint32_t length = read_be32(header + 1);
  if (length < 4) return std::nullopt;
  message.body.resize(length - 4);
  if (!read_exact(message.body.data(), message.body.size())) return std::nullopt;
  return message;
}

void FakePeer::send(char type, const std::string& body) {
  const std::string message =
      std::string(1, type) + be32(static_cast<std::uint32_t>(body.size() + 4)) + body;
  ASSERT_EQ(::send(socket_, message.data(), message.size(), MSG_NOSIGNAL),
            static_cast<ssize_t>(message.size()));
}

void FakePeer::send_copy_both() {
  send('W', std::string("\0\0\0", 3));
}

void FakePeer::send_error(const std::string& sqlstate, const std::string& message) {
  std::string body;
  body += 'S' + std::string("ERROR") + '\0';
  body += 'V' + std::string("ERROR") + '\0';
  body += 'C' + sqlstate + '\0';
  body += 'M' + message + '\0';
  body += '\0';
  send('E', body);
}

void FakePeer::close() {
  if (socket_ >= 0) ::close(socket_);
  socket_ = -1;
}

FakeWalSender::FakeWalSender(std::function<void(FakePeer&)> script) {
  listener_ = ::socket(AF_INET, SOCK_STREAM, 0);
  if (listener_ < 0) throw std::runtime_error("socket() failed");
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = 0;
  if (::bind(listener_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
      ::listen(listener_, 1) != 0) {
    throw std::runtime_error("cannot listen on loopback");
  }
  socklen_t size = sizeof address;
  ::getsockname(listener_, reinterpret_cast<sockaddr*>(&address), &size);
  port_ = ntohs(address.sin_port);
  thread_ = std::thread([this, script = std::move(script)] {
    const int socket = ::accept(listener_, nullptr, nullptr);
    if (socket < 0) return;
    // A script must never hang a test run: reads give up after 5 s.
    timeval timeout{5, 0};
    ::setsockopt(socket, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
    FakePeer peer(socket);
    script(peer);
    peer.close();
  });
}

FakeWalSender::~FakeWalSender() {
  // Wakes an accept() still waiting for a client that never came.
  if (listener_ >= 0) ::shutdown(listener_, SHUT_RDWR);
  join();
  if (listener_ >= 0) ::close(listener_);
}

void FakeWalSender::join() {
  if (thread_.joinable()) thread_.join();
}

std::string FakeWalSender::conninfo() const {
  return "host=127.0.0.1 port=" + std::to_string(port_) +
         " user=fake dbname=fake sslmode=disable gssencmode=disable connect_timeout=5";
}

}  // namespace herald::pg::test
