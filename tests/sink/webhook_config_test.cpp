// Standard Webhooks secrets and signatures, the URL as the sink shows it, and the settings
// WebhookSink::create refuses: no server needed.

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "sink/completion_queue.hpp"
#include "sink/webhook_signature.hpp"
#include "sink/webhook_sink.hpp"
#include "sink/webhook_target.hpp"

namespace herald::sink {
namespace {

TEST(WebhookSecret, WhsecIsBase64DecodedAndOtherSecretsAreRawBytes) {
  auto decoded = webhook::decode_secret("whsec_aGVsbG8gd29ybGQ=");
  ASSERT_TRUE(decoded) << decoded.error().message;
  EXPECT_EQ(*decoded, "hello world");
  auto raw = webhook::decode_secret("plain-secret");
  ASSERT_TRUE(raw);
  EXPECT_EQ(*raw, "plain-secret");
}

TEST(WebhookSecret, BadSecretsAreRefusedWithoutQuotingThem) {
  for (const std::string secret : {"whsec_not*base64!", "whsec_abc", "whsec_", ""}) {
    auto decoded = webhook::decode_secret(secret);
    ASSERT_FALSE(decoded) << secret;
    if (secret.size() > 6) {
      EXPECT_EQ(decoded.error().message.find(secret.substr(6)), std::string::npos)
          << decoded.error().message;
    }
  }
}

TEST(WebhookSecret, Base64RoundTrips) {
  for (const std::string& bytes :
       std::vector<std::string>{"", "a", "ab", "abc", "abcd", std::string("\0\xff\x10", 3)}) {
    auto back = webhook::base64_decode(webhook::base64_encode(bytes));
    ASSERT_TRUE(back) << back.error().message;
    EXPECT_EQ(*back, bytes);
  }
  EXPECT_EQ(webhook::base64_encode("hello world"), "aGVsbG8gd29ybGQ=");
}

// The example of the Standard Webhooks specification, as its reference library signs it.
TEST(WebhookSigner, MatchesTheStandardWebhooksExample) {
  auto key = webhook::decode_secret("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
  ASSERT_TRUE(key);
  auto signer = webhook::Signer::create(*key);
  ASSERT_TRUE(signer) << signer.error().message;
  EXPECT_EQ(signer->sign("msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, R"({"test": 2432232314})"),
            "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
  // The same signer again: each signature starts from the keyed state, not the last one.
  EXPECT_EQ(signer->sign("msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, R"({"test": 2432232314})"),
            "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
}

TEST(WebhookSigner, RawSecretMatchesTheReferenceLibrary) {
  // standardwebhooks: new Webhook(Buffer.from("plain-secret"), {format: "raw"})
  //   .sign("id-1", new Date(1700000000 * 1000), "{}")
  auto signer = webhook::Signer::create("plain-secret");
  ASSERT_TRUE(signer);
  EXPECT_EQ(signer->sign("id-1", 1700000000, "{}"),
            "v1,5eeOlsNv/5EpneZY3pIabh8eqX97xU3UqF4iJtBP9Cs=");
}

TEST(WebhookTarget, OriginHidesCredentialsPathAndQuery) {
  auto target = webhook::parse_target("https://user:pw@hooks.example.com:8443/a/b?token=s3cr3t");
  ASSERT_TRUE(target) << target.error().message;
  EXPECT_EQ(target->origin, "https://hooks.example.com:8443");
  EXPECT_EQ(webhook::scrub("GET /a/b?token=s3cr3t failed for user pw", *target),
            "GET <hidden> failed for <hidden> <hidden>");
  auto plain = webhook::parse_target("http://example.com/x");
  ASSERT_TRUE(plain);
  EXPECT_EQ(plain->origin, "http://example.com");
  EXPECT_EQ(webhook::scrub("a/b/c", *plain), "a/b/c") << "short parts are not hidden";
}

TEST(WebhookTarget, BadUrlsAreRefusedWithoutQuotingThem) {
  for (const std::string url :
       {"ftp://example.com/secret-path", "not a url secret-path", "http://:80/secret-path", ""}) {
    auto target = webhook::parse_target(url);
    ASSERT_FALSE(target) << url;
    EXPECT_EQ(target.error().message.find("secret-path"), std::string::npos)
        << target.error().message;
  }
}

TEST(WebhookSinkCreate, RefusesBadSettingsNamingTheOriginOnly) {
  CompletionQueue queue;
  const auto refuse = [&](WebhookSinkSettings settings, const std::string& expected) {
    auto sink = WebhookSink::create(std::move(settings), queue);
    ASSERT_FALSE(sink) << expected;
    EXPECT_NE(sink.error().message.find(expected), std::string::npos) << sink.error().message;
    EXPECT_TRUE(sink.error().message.starts_with("webhook http://127.0.0.1:9"))
        << sink.error().message;
    EXPECT_EQ(sink.error().message.find("/path?key"), std::string::npos) << sink.error().message;
  };
  WebhookSinkSettings base;
  base.url = "http://127.0.0.1:9/path?key=1";

  auto bad_name = base;
  bad_name.headers = {{"X Team", "billing"}};
  refuse(bad_name, "not a valid HTTP header name");
  auto reserved = base;
  reserved.headers = {{"Webhook-Signature", "v1,forged"}};
  refuse(reserved, "set by herald");
  auto injected = base;
  injected.headers = {{"X-Team", "billing\r\nX-Evil: 1"}};
  refuse(injected, "line break");
  auto bad_secret = base;
  bad_secret.secret = "whsec_%%%%";
  refuse(bad_secret, "not valid base64");
  auto no_timeout = base;
  no_timeout.timeout = std::chrono::milliseconds(0);
  refuse(no_timeout, "timeout_ms must be positive");
  auto no_window = base;
  no_window.max_in_flight = 0;
  refuse(no_window, "max_in_flight");
}

TEST(WebhookSinkCreate, DescribesTheOriginOnlyAndStartsHealthy) {
  CompletionQueue queue;
  WebhookSinkSettings settings;
  settings.url = "https://hooks.example.com/T000/B000/XXXX?token=abc";
  auto sink = WebhookSink::create(settings, queue);
  ASSERT_TRUE(sink) << sink.error().message;
  EXPECT_EQ((*sink)->describe(), "webhook https://hooks.example.com");
  EXPECT_TRUE((*sink)->healthy());
  EXPECT_FALSE((*sink)->disabled());
  EXPECT_EQ((*sink)->in_flight(), 0U);
  EXPECT_TRUE(WebhookSinkSettings::default_user_agent().starts_with("herald/"));
}

}  // namespace
}  // namespace herald::sink
