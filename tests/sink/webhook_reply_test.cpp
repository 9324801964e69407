// The webhook response classification of SPEC section 4, Retry-After and error excerpts:
// pure functions, no server.

#include <gtest/gtest.h>

#include <ctime>
#include <string>

#include "sink/webhook_reply.hpp"

namespace herald::sink::webhook {
namespace {

using namespace std::chrono_literals;

const auto kNow = std::chrono::system_clock::time_point(std::chrono::seconds(1'700'000'000));

Reply http(long status, std::string body = {}) {  // NOLINT(google-runtime-int)
  Reply reply;
  reply.status = status;
  reply.body_head = std::move(body);
  return reply;
}

Reply no_answer(CURLcode code, std::string detail = {}) {
  Reply reply;
  reply.transport = code;
  reply.transport_error = std::move(detail);
  return reply;
}

std::string http_date(std::chrono::system_clock::time_point when) {
  const std::time_t t = std::chrono::system_clock::to_time_t(when);
  std::tm parts{};
  gmtime_r(&t, &parts);
  std::array<char, 64> text{};
  std::strftime(text.data(), text.size(), "%a, %d %b %Y %H:%M:%S GMT", &parts);
  return text.data();
}

struct StatusCase {
  long status;  // NOLINT(google-runtime-int)
  Outcome outcome;
};

class StatusClassification : public ::testing::TestWithParam<StatusCase> {};

TEST_P(StatusClassification, FollowsTheSpec) {
  const auto [status, outcome] = GetParam();
  const Verdict verdict = classify(http(status, "why"), kNow, 1000ms);
  EXPECT_EQ(verdict.outcome, outcome) << "HTTP " << status;
  EXPECT_FALSE(verdict.no_response);
  if (outcome == Outcome::Delivered) {
    EXPECT_EQ(verdict.error, "");
  } else {
    EXPECT_NE(verdict.error.find("HTTP " + std::to_string(status)), std::string::npos)
        << verdict.error;
    EXPECT_NE(verdict.error.find("why"), std::string::npos) << verdict.error;
  }
}

INSTANTIATE_TEST_SUITE_P(
    Statuses, StatusClassification,
    ::testing::Values(StatusCase{200, Outcome::Delivered}, StatusCase{201, Outcome::Delivered},
                      StatusCase{202, Outcome::Delivered}, StatusCase{204, Outcome::Delivered},
                      StatusCase{299, Outcome::Delivered}, StatusCase{408, Outcome::Retry},
                      StatusCase{429, Outcome::Retry}, StatusCase{500, Outcome::Retry},
                      StatusCase{502, Outcome::Retry}, StatusCase{503, Outcome::Retry},
                      StatusCase{504, Outcome::Retry}, StatusCase{599, Outcome::Retry},
                      StatusCase{410, Outcome::Disabled}, StatusCase{400, Outcome::Permanent},
                      StatusCase{401, Outcome::Permanent}, StatusCase{403, Outcome::Permanent},
                      StatusCase{404, Outcome::Permanent}, StatusCase{405, Outcome::Permanent},
                      StatusCase{409, Outcome::Permanent}, StatusCase{413, Outcome::Permanent},
                      StatusCase{422, Outcome::Permanent}, StatusCase{301, Outcome::Permanent},
                      StatusCase{302, Outcome::Permanent}, StatusCase{307, Outcome::Permanent},
                      StatusCase{308, Outcome::Permanent}, StatusCase{600, Outcome::Retry}));

TEST(WebhookReply, RedirectSaysItIsNotFollowedAndWhere) {
  Reply reply = http(301);
  reply.location = "https://elsewhere.example/hook";
  const Verdict verdict = classify(reply, kNow, 1000ms);
  EXPECT_EQ(verdict.outcome, Outcome::Permanent);
  EXPECT_NE(verdict.error.find("redirects are not followed"), std::string::npos) << verdict.error;
  EXPECT_NE(verdict.error.find("https://elsewhere.example/hook"), std::string::npos);
  EXPECT_NE(verdict.error.find("(empty body)"), std::string::npos) << verdict.error;
}

TEST(WebhookReply, GoneSaysTheActionIsDisabled) {
  const Verdict verdict = classify(http(410), kNow, 1000ms);
  EXPECT_NE(verdict.error.find("action disabled until restart"), std::string::npos);
}

TEST(WebhookReply, RetryAfterIsHonouredOnRetryStatusesOnly) {
  for (const long status : {408L, 429L, 503L}) {  // NOLINT(google-runtime-int)
    Reply reply = http(status);
    reply.retry_after = "7";
    EXPECT_EQ(classify(reply, kNow, 1000ms).retry_after, std::optional(7000ms)) << status;
  }
  Reply permanent = http(400);
  permanent.retry_after = "7";
  EXPECT_EQ(classify(permanent, kNow, 1000ms).retry_after, std::nullopt);
}

TEST(WebhookReply, RequestsWithoutAnswerAreRetriedAndCountAsNoResponse) {
  const auto refused =
      classify(no_answer(CURLE_COULDNT_CONNECT, "Failed to connect"), kNow, 1000ms);
  EXPECT_EQ(refused.outcome, Outcome::Retry);
  EXPECT_TRUE(refused.no_response);
  EXPECT_EQ(refused.error, "cannot connect (refused or unreachable): Failed to connect");

  const auto timed_out = classify(no_answer(CURLE_OPERATION_TIMEDOUT), kNow, 250ms);
  EXPECT_EQ(timed_out.outcome, Outcome::Retry);
  EXPECT_TRUE(timed_out.no_response);
  EXPECT_TRUE(timed_out.error.starts_with("no answer within 250 ms: ")) << timed_out.error;

  for (const CURLcode code :
       {CURLE_COULDNT_RESOLVE_HOST, CURLE_RECV_ERROR, CURLE_SEND_ERROR, CURLE_GOT_NOTHING,
        CURLE_SSL_CONNECT_ERROR, CURLE_PEER_FAILED_VERIFICATION, CURLE_PARTIAL_FILE}) {
    const auto verdict = classify(no_answer(code), kNow, 1000ms);
    EXPECT_EQ(verdict.outcome, Outcome::Retry) << curl_easy_strerror(code);
    EXPECT_TRUE(verdict.no_response);
    EXPECT_NE(verdict.error.find(curl_easy_strerror(code)), std::string::npos) << verdict.error;
  }
}

TEST(WebhookReply, RequestsThatCannotBeMadeArePermanent) {
  for (const CURLcode code : {CURLE_URL_MALFORMAT, CURLE_UNSUPPORTED_PROTOCOL}) {
    const auto verdict = classify(no_answer(code), kNow, 1000ms);
    EXPECT_EQ(verdict.outcome, Outcome::Permanent) << curl_easy_strerror(code);
    EXPECT_TRUE(verdict.error.starts_with("the request cannot be sent")) << verdict.error;
  }
}

TEST(RetryAfter, SecondsAndHttpDates) {
  EXPECT_EQ(parse_retry_after("7", kNow), std::optional(7s));
  EXPECT_EQ(parse_retry_after(" 120 ", kNow), std::optional(120s));
  EXPECT_EQ(parse_retry_after("0", kNow), std::optional(0s));
  EXPECT_EQ(parse_retry_after(http_date(kNow + 90s), kNow), std::optional(90s));
  EXPECT_EQ(parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT", kNow), std::optional(0s))
      << "a date in the past means now";
  EXPECT_EQ(parse_retry_after(http_date(kNow + 90s), kNow + 30s), std::optional(60s))
      << "a date is measured from the injected clock";
}

TEST(RetryAfter, NonsenseIsIgnoredAndHugeValuesCapped) {
  EXPECT_EQ(parse_retry_after("", kNow), std::nullopt);
  EXPECT_EQ(parse_retry_after("soon", kNow), std::nullopt);
  EXPECT_EQ(parse_retry_after("-5", kNow), std::nullopt);
  EXPECT_EQ(parse_retry_after("99999999999999999999999", kNow),
            std::optional(std::chrono::seconds(366 * 24 * 3600)));
}

TEST(BodyExcerpt, ShortCleanAndWholeCharacters) {
  EXPECT_EQ(body_excerpt("  {\"error\":\n\"bad\"}\r\n"), "{\"error\": \"bad\"}");
  EXPECT_EQ(body_excerpt(std::string(1000, 'x')), std::string(kBodyExcerptBytes, 'x'));
  std::string accented;
  for (int i = 0; i < 150; ++i) accented += "\xC3\xA9";  // é, two bytes each
  const std::string excerpt = body_excerpt(accented);
  EXPECT_EQ(excerpt.size(), kBodyExcerptBytes);
  EXPECT_EQ(body_excerpt("x" + accented).size(), kBodyExcerptBytes - 1)
      << "the cut steps back to a character boundary";
}

}  // namespace
}  // namespace herald::sink::webhook
