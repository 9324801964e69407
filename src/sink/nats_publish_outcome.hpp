#pragma once
// How a failed NATS/JetStream publish maps onto the Sink outcomes. Pure, so the mapping is
// unit-tested code by code.
//
// Retry: anything that can succeed later unchanged: no ack in time, no responders (the
// stream or JetStream itself is not there right now), connection trouble, a full reconnect
// buffer, a store that is full or a cluster without a leader.
// Permanent: the message as sent can never be accepted: an invalid subject, a payload over
// the server's or the stream's maximum, a JetStream API error that rejects this message
// (expected-stream or expected-sequence mismatches, bad request) and API errors herald does
// not know, since resending the same bytes would get the same answer.

#include <nats/nats.h>

#include <chrono>
#include <string>
#include <string_view>

#include "sink/sink.hpp"

namespace herald::sink::nats {

struct PublishFailure {
  natsStatus status = NATS_ERR;  // nats.c status of the publish or of its ack
  int jetstream_code = 0;        // jsErrCode from the server's API error, 0 when none
  std::string_view text;         // the server's description or nats.c's text
};

Outcome classify_publish_failure(const PublishFailure& failure);

// The error text for the Completion, naming the subject and the cause, e.g.
// "no JetStream ack for 'fraiseql.order.created' within 5000 ms".
std::string describe_publish_failure(const PublishFailure& failure, std::string_view subject,
                                     std::chrono::milliseconds ack_timeout);

}  // namespace herald::sink::nats
