#pragma once
// Reads the reply JetStream sends to a publish: stored (a duplicate included: the stream
// holds that id) or the reason it was not. The NATS sink reads these replies itself, from
// its own inbox, instead of through nats.c's asynchronous publish API (see nats_sink.hpp).

#include <nats/nats.h>

#include <cstdint>
#include <string>
#include <string_view>

#include "sink/nats_publish_outcome.hpp"

namespace herald::sink::nats {

struct PublishAck {
  bool stored = false;
  // When stored: the message's sequence in the stream, and whether the stream already held
  // its id (then nothing new was stored and `sequence` is the earlier copy's).
  std::uint64_t sequence = 0;
  bool duplicate = false;
  // When not stored: NATS_ERR with the server's API error code and description, or
  // NATS_ERR with code 0 and the reply itself when it is not a JetStream ack at all.
  natsStatus status = NATS_OK;
  int jetstream_code = 0;
  std::string text;

  PublishFailure failure() const { return PublishFailure{status, jetstream_code, text}; }
};

PublishAck read_publish_ack(std::string_view reply);

}  // namespace herald::sink::nats
