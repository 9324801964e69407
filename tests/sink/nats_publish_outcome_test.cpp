// Which publish failures are retried and which go straight to the dead letters.

#include "sink/nats_publish_outcome.hpp"

#include <gtest/gtest.h>

namespace herald::sink::nats {
namespace {

using namespace std::chrono_literals;

Outcome classify(natsStatus status, int code = 0) {
  return classify_publish_failure(PublishFailure{status, code, ""});
}

TEST(PublishOutcome, TransportTroubleIsRetried) {
  for (const natsStatus status :
       {NATS_TIMEOUT, NATS_NO_RESPONDERS, NATS_CONNECTION_CLOSED, NATS_CONNECTION_DISCONNECTED,
        NATS_IO_ERROR, NATS_STALE_CONNECTION, NATS_NO_SERVER, NATS_INSUFFICIENT_BUFFER,
        NATS_NO_MEMORY, NATS_DRAINING}) {
    EXPECT_EQ(classify(status), Outcome::Retry) << natsStatus_GetText(status);
  }
}

TEST(PublishOutcome, MessagesThatCanNeverBeAcceptedArePermanent) {
  for (const natsStatus status :
       {NATS_INVALID_SUBJECT, NATS_INVALID_ARG, NATS_MAX_PAYLOAD, NATS_NOT_PERMITTED}) {
    EXPECT_EQ(classify(status), Outcome::Permanent) << natsStatus_GetText(status);
  }
}

TEST(PublishOutcome, JetStreamRejectionsOfTheMessageArePermanent) {
  EXPECT_EQ(classify(NATS_ERR, JSStreamMessageExceedsMaximumErr), Outcome::Permanent);
  EXPECT_EQ(classify(NATS_ERR, JSStreamNotMatchErr), Outcome::Permanent);
  EXPECT_EQ(classify(NATS_ERR, JSStreamWrongLastSequenceErr), Outcome::Permanent);
  EXPECT_EQ(classify(NATS_ERR, JSBadRequestErr), Outcome::Permanent);
  EXPECT_EQ(classify(NATS_ERR, 19999), Outcome::Permanent);  // unknown API error
}

TEST(PublishOutcome, JetStreamStatesThatPassAreRetried) {
  EXPECT_EQ(classify(NATS_ERR, JSStreamStoreFailedErr), Outcome::Retry);
  EXPECT_EQ(classify(NATS_ERR, JSClusterNotAvailErr), Outcome::Retry);
  EXPECT_EQ(classify(NATS_ERR, JSInsufficientResourcesErr), Outcome::Retry);
  EXPECT_EQ(classify(NATS_ERR, JSStreamNotFoundErr), Outcome::Retry);
  EXPECT_EQ(classify(NATS_ERR, JSNotEnabledErr), Outcome::Retry);
  EXPECT_EQ(classify(NATS_ERR, 0), Outcome::Retry);  // an error without an API code
}

TEST(PublishOutcome, DescriptionsNameSubjectAndCause) {
  EXPECT_EQ(describe_publish_failure({NATS_TIMEOUT, 0, "Timeout"}, "a.b", 5000ms),
            "no JetStream ack for 'a.b' within 5000 ms");
  EXPECT_EQ(describe_publish_failure({NATS_ERR, 10054, "message size exceeds maximum allowed"},
                                     "a.b", 5000ms),
            "JetStream rejected the message on 'a.b': message size exceeds maximum allowed "
            "(error 10054)");
  EXPECT_NE(describe_publish_failure({NATS_NO_RESPONDERS, 0, ""}, "a.b", 5000ms)
                .find("no JetStream stream answered for 'a.b'"),
            std::string::npos);
  EXPECT_EQ(
      describe_publish_failure({NATS_INSUFFICIENT_BUFFER, 0, ""}, "a.b", 5000ms),
      std::string("publishing to 'a.b' failed: ") + natsStatus_GetText(NATS_INSUFFICIENT_BUFFER));
}

}  // namespace
}  // namespace herald::sink::nats
