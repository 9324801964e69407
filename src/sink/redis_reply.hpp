#pragma once
// What a Redis reply to XADD or PUBLISH means for the delivery (SPEC section 4):
// - XADD answers the new entry's id (a bulk string), PUBLISH the number of subscribers that
//   received the message (an integer, 0 included): Delivered.
// - An error reply is classified by its first word, Redis's error code:
//   Permanent when resending the same command cannot succeed without someone changing the
//   data or the server's setup: WRONGTYPE (the key holds another type), ERR (syntax,
//   unknown command, e.g. XADD on Redis < 5), NOPERM (ACL), MOVED/ASK/CROSSSLOT (a cluster
//   node that does not own the key: herald speaks to one node only).
//   Retry for states that pass: OOM (maxmemory), LOADING, BUSY, MISCONF (failing
//   snapshots refuse writes), READONLY and MASTERDOWN (failover in progress), TRYAGAIN,
//   CLUSTERDOWN, NOAUTH (the server restarted with a password; the next connection
//   authenticates), NOREPLICAS; and any code not listed (a newer Redis): retries end in a
//   dead letter anyway, a wrong Permanent would drop what a retry could deliver.
// - Any other reply type is unexpected: Retry, with the type in the error.
// Errors quote Redis's own text, which names the problem and never a credential.

#include <string>
#include <string_view>

#include <hiredis/hiredis.h>

#include "sink/sink.hpp"

namespace herald::sink::redis {

enum class Command { Xadd, Publish };

struct Verdict {
  Outcome outcome = Outcome::Delivered;
  std::string error;  // empty when delivered
};

// The outcome of an error reply's text ("WRONGTYPE Operation against a key ...").
Outcome classify_error(std::string_view error_text);

// The verdict on `reply` to `command` for `key` (the stream or channel, named in errors).
Verdict judge_reply(const redisReply& reply, Command command, std::string_view key);

}  // namespace herald::sink::redis
