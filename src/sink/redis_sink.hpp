#pragma once
// RedisSink: delivers events to Redis (SPEC section 4), on one connection, pipelined.
//
// - Stream mode (durable): `XADD <destination> MAXLEN ~ <maxlen> * id <event id> event
//   <payload>`. The entry id is Redis's; the event id is the `id` field, the dedup key for
//   consumers (a Retry that Redis had in fact applied adds the entry twice: at-least-once).
//   `maxlen` = 0 leaves the stream untrimmed. `~` lets Redis trim whole nodes only, so a
//   stream holds at least `maxlen` entries and somewhat more.
// - Pub/sub mode: `PUBLISH <destination> <payload>`. Delivered when Redis took the message,
//   which reaches only the subscribers connected at that moment; nothing is stored, so
//   a subscriber that is down misses it for good. Use stream mode when that matters.
//
// Order: everything goes out on one connection in submission order, and Redis applies a
// connection's commands in order, so a stream's entries follow the order of submit()
// calls (commit order, as the dispatcher submits).
//
// Completions (exactly one per accepted delivery, pushed from the sink's thread): Delivered
// on the entry id (XADD) or the receiver count (PUBLISH); Permanent or Retry on an error
// reply by its code (redis_reply.hpp: WRONGTYPE is Permanent, OOM is Retry, ...), quoting
// Redis's error text; Retry for every delivery written on a connection that is lost or
// gives no reply within `command_timeout`, and for deliveries that wait while no
// connection can be made (redis_worker.hpp). close(): what is still in flight is Retry.
//
// Connection: the URL's AUTH (ACL user or default user) and SELECT run on every
// (re)connection. After a loss the sink reconnects at once, then every `reconnect_wait`,
// forever; healthy() is false meanwhile, and each change is logged once. The password is
// never in describe(), logs or errors.
//
// With `wait_for_renew` the sink does not reconnect by itself once a loss failed
// deliveries: every delivery (those written, those queued and those submitted later)
// completes as Retry until renew() connects anew. (A loss that failed nothing, on an idle
// connection, is reconnected as usual.) A caller that replays failed deliveries from a durable
// source (herald run replays from the slot) needs this: a sink that reconnected by itself would
// write later deliveries before that replay, out of order.
//
// submit(), renew() and close() belong to one thread (the dispatcher's); in_flight(),
// healthy() and describe() may be called from any.

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

#include "common/result.hpp"
#include "sink/completion_queue.hpp"
#include "sink/sink.hpp"

namespace herald::sink {

namespace redis {
class Worker;
}

enum class RedisMode { Stream, PubSub };

struct RedisSinkSettings {
  std::string url = "redis://127.0.0.1:6379";  // redis://[user:password@]host:port[/db]
  RedisMode mode = RedisMode::Stream;
  std::int64_t maxlen = 1'000'000;  // approximate MAXLEN for XADD; 0 = no trimming
  std::size_t max_in_flight = 8192;
  std::chrono::milliseconds connect_timeout{2000};  // TCP connect
  // Each blocking handshake step, and the longest wait for the next reply while any are
  // owed: a server that stalls longer is given up on (its deliveries Retry).
  std::chrono::milliseconds command_timeout{5000};
  std::chrono::milliseconds reconnect_wait{500};
  // An idle connection is checked with PING this often (0: never), so healthy() turns false
  // within ping_interval + command_timeout of a server freezing while nothing is sent.
  std::chrono::milliseconds ping_interval{5000};
  // After a loss, stay down (everything Retry) until renew(); see above.
  bool wait_for_renew = false;
};

class RedisSink final : public Sink {
  struct PrivateTag {};

 public:
  // Checks the settings and connects (AUTH, SELECT). Fails when the URL is invalid or the
  // server cannot be reached or refuses the credentials now; reconnects forever after.
  static Result<std::unique_ptr<RedisSink>> connect(const RedisSinkSettings& settings,
                                                    CompletionQueue& completions);
  RedisSink(PrivateTag tag, std::unique_ptr<redis::Worker> worker,
            std::string description);  // use connect()
  ~RedisSink() override;
  RedisSink(const RedisSink&) = delete;
  RedisSink& operator=(const RedisSink&) = delete;

  bool submit(const Delivery& delivery) override;
  std::size_t in_flight() const override;
  bool healthy() const override;
  // "redis 127.0.0.1:6379/0 (XADD MAXLEN ~1000000)" or "redis 127.0.0.1:6379/0 (PUBLISH)".
  std::string describe() const override;
  // With wait_for_renew and no connection: connects (blocking, up to connect_timeout) and
  // completes as Retry what was submitted before and not yet sent. Otherwise a no-op.
  void renew() override;

  // Stops accepting deliveries (submit() returns false), waits up to `grace` for those in
  // flight, completes the rest as Retry and disconnects. Idempotent; the destructor calls
  // close({}).
  void close(std::chrono::milliseconds grace);

 private:
  std::unique_ptr<redis::Worker> worker_;
  std::string description_;
  bool closed_ = false;  // the owning thread's view; the worker has its own flag
};

}  // namespace herald::sink
