#include "sink/nats_publish_outcome.hpp"

#include <fmt/format.h>

namespace herald::sink::nats {

namespace {

// JetStream API errors that describe the server's state, not the message: the same
// message can be stored once the state changes.
bool jetstream_error_is_transient(int code) {
  switch (code) {
    case JSAccountResourcesExceededErr:
    case JSClusterNotAvailErr:
    case JSClusterNotLeaderErr:
    case JSClusterIncompleteErr:
    case JSClusterNoPeersErr:
    case JSInsufficientResourcesErr:
    case JSMemoryResourcesExceededErr:
    case JSStorageResourcesExceededErr:
    case JSRaftGeneralErr:
    case JSStreamLimitsErr:       // e.g. max messages with discard=new: space frees up later
    case JSStreamStoreFailedErr:  // the store refused the write (full, I/O)
    case JSStreamNotFoundErr:     // deleted underneath us; a restart recreates it
    case JSNotEnabledErr:
    case JSNotEnabledForAccountErr:
      return true;
    default:
      return false;
  }
}

}  // namespace

Outcome classify_publish_failure(const PublishFailure& failure) {
  switch (failure.status) {
    case NATS_ERR:
      // NATS_ERR without a JetStream code is not an API rejection (e.g. a garbled reply).
      if (failure.jetstream_code == 0) return Outcome::Retry;
      return jetstream_error_is_transient(failure.jetstream_code) ? Outcome::Retry
                                                                  : Outcome::Permanent;
    case NATS_INVALID_SUBJECT:
    case NATS_INVALID_ARG:
    case NATS_MAX_PAYLOAD:
    case NATS_NOT_PERMITTED:
      return Outcome::Permanent;
    default:
      // Timeouts, no responders, closed/disconnected/stale connections, full reconnect
      // buffer, I/O and memory errors: all may pass.
      return Outcome::Retry;
  }
}

std::string describe_publish_failure(const PublishFailure& failure, std::string_view subject,
                                     std::chrono::milliseconds ack_timeout) {
  switch (failure.status) {
    case NATS_TIMEOUT:
      return fmt::format("no JetStream ack for '{}' within {} ms", subject, ack_timeout.count());
    case NATS_NO_RESPONDERS:
      return fmt::format(
          "no JetStream stream answered for '{}' (no responders): is JetStream up and does a "
          "stream cover the subject?",
          subject);
    case NATS_ERR:
      if (failure.jetstream_code != 0) {
        return fmt::format("JetStream rejected the message on '{}': {} (error {})", subject,
                           failure.text, failure.jetstream_code);
      }
      break;
    default:
      break;
  }
  const std::string_view text =
      failure.text.empty() ? std::string_view(natsStatus_GetText(failure.status)) : failure.text;
  return fmt::format("publishing to '{}' failed: {}", subject, text);
}

}  // namespace herald::sink::nats
