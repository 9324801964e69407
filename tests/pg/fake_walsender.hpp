#pragma once
// A misbehaving-peer stand-in for a walsender: speaks just enough of the PostgreSQL
// wire protocol (trust startup, simple Query, COPY BOTH) on a loopback port for tests
// to script exactly what the "server" sends and to read exactly what the client sent.

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace herald::pg::test {

// One frontend message: its type byte and body (without the length).
struct FrontendMessage {
  char type = 0;
  std::string body;
};

class FakePeer {
 public:
  explicit FakePeer(int socket) : socket_(socket) {}

  // Reads the startup packet and answers AuthenticationOk ... ReadyForQuery.
  void accept_startup();
  // Next message from the client; nullopt when it closed the connection (or 5 s passed).
  std::optional<FrontendMessage> read_message();
  void send(char type, const std::string& body);
  void send_copy_both();
  void send_copy_data(const std::string& payload) { send('d', payload); }
  void send_error(const std::string& sqlstate, const std::string& message);
  void close();

 private:
  bool read_exact(char* out, std::size_t size);
  int socket_;
};

class FakeWalSender {
 public:
  // Listens on 127.0.0.1 (port 0) and runs `script` on the first connection, in a thread.
  explicit FakeWalSender(std::function<void(FakePeer&)> script);
  ~FakeWalSender();  // waits for the script to finish
  FakeWalSender(const FakeWalSender&) = delete;
  FakeWalSender& operator=(const FakeWalSender&) = delete;

  // conninfo for the client (no TLS or GSS negotiation to fake).
  std::string conninfo() const;
  void join();

 private:
  int listener_ = -1;
  std::uint16_t port_ = 0;
  std::thread thread_;
};

// Big-endian encodings for building server messages.
std::string be64(std::uint64_t value);
std::string be32(std::uint32_t value);
std::uint32_t read_be32(const char* bytes);
std::uint64_t read_be64(const std::string& bytes, std::size_t at);

}  // namespace herald::pg::test
