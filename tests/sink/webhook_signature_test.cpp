// Signatures on real requests: checked against an HMAC the test computes itself and by the
// npm `standardwebhooks` library (tools/node/verify-webhook.mjs), a verifier no one here
// wrote.

#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <array>
#include <filesystem>
#include <fstream>
#include <string>

#include "sink/completion_queue.hpp"
#include "sink/webhook_sink.hpp"
#include "support/child_process.hpp"
#include "support/temp_dir.hpp"
#include "webhook_test_receiver.hpp"
#include "webhook_test_support.hpp"

namespace herald::testing {
namespace {

using namespace std::chrono_literals;
using sink::CompletionQueue;
using sink::Outcome;
using sink::WebhookSink;

constexpr std::string_view kWhsecSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
const std::string kPayload =
    R"({"id":"0000000001A2B3C4-0002","event":"fraiseql.order.created","entity":{"name":"Zoë ☕","total":42.5}})";

// The request the receiver got for one delivery signed with `secret`.
ReceivedRequest signed_request(const std::string& secret, const sink::WebhookSinkSettings& base) {
  WebhookTestReceiver receiver;
  CompletionQueue queue;
  auto settings = base;
  settings.url = receiver.url();
  settings.secret = secret;
  auto sink = WebhookSink::create(settings, queue);
  EXPECT_TRUE(sink) << sink.error().message;
  if (!sink) return {};
  const auto done =
      deliver_one(**sink, queue, webhook_delivery(1, "0000000001A2B3C4-0002", kPayload));
  EXPECT_EQ(done.outcome, Outcome::Delivered) << done.error;
  const auto requests = receiver.requests();
  EXPECT_EQ(requests.size(), 1U);
  return requests.empty() ? ReceivedRequest{} : requests.front();
}

std::string base64(const unsigned char* data, std::size_t size) {
  std::string out(4 * ((size + 2) / 3) + 1, '\0');
  const int n =
      EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()), data, static_cast<int>(size));
  out.resize(static_cast<std::size_t>(n));
  return out;
}

// HMAC-SHA256 computed here with OpenSSL's one-shot HMAC(), not the sink's code path.
std::string expected_signature(std::string_view key, const ReceivedRequest& request) {
  const std::string content =
      request.header("webhook-id") + "." + request.header("webhook-timestamp") + "." + request.body;
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int length = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(content.data()), content.size(), digest.data(),
       &length);
  return "v1," + base64(digest.data(), length);
}

// Runs the standardwebhooks library on the request; its exit status.
ExitStatus verify_with_library(const ReceivedRequest& request, const std::string& secret,
                               bool raw_secret, const std::string& body) {
  const std::filesystem::path tools = std::filesystem::path(HERALD_SOURCE_DIR) / "tools/node";
  EXPECT_TRUE(std::filesystem::exists(tools / "node_modules/standardwebhooks"))
      << "the npm standardwebhooks library is missing: run scripts/install-node-tools.sh "
         "(or `cd tools/node && npm ci`)";
  TempDir dir("herald-webhook-verify-");
  const auto body_path = dir.path() / "body";
  std::ofstream(body_path, std::ios::binary) << body;
  std::vector<std::string> argv{"node",        (tools / "verify-webhook.mjs").string(),
                                "--id",        request.header("webhook-id"),
                                "--timestamp", request.header("webhook-timestamp"),
                                "--signature", request.header("webhook-signature"),
                                "--body-file", body_path.string()};
  if (raw_secret) argv.emplace_back("--raw-secret");
  ChildProcess node(argv, SpawnOptions().set_env("WEBHOOK_SECRET", secret));
  const auto status = node.wait_for_exit(60s);
  EXPECT_TRUE(status.has_value()) << "node did not finish";
  if (!status) return ExitStatus{};
  if (!status->exited_with(0)) std::cerr << node.output_tail();
  return *status;
}

TEST(WebhookSignature, MatchesAnHmacComputedIndependently) {
  FakeClock clock(1'700'000'000);
  auto settings = webhook_settings("");
  settings.clock = clock.function();
  const auto request = signed_request(std::string(kWhsecSecret), settings);
  EXPECT_EQ(request.header("webhook-timestamp"), "1700000000");
  const std::string key_base64(kWhsecSecret.substr(6));
  std::string key(key_base64.size(), '\0');
  const int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(key.data()),
                                reinterpret_cast<const unsigned char*>(key_base64.data()),
                                static_cast<int>(key_base64.size()));
  key.resize(static_cast<std::size_t>(n));  // 32 characters, no padding: 24 bytes
  EXPECT_EQ(request.header("webhook-signature"), expected_signature(key, request));
}

TEST(WebhookSignature, RawSecretSignsWithItsBytes) {
  FakeClock clock(1'700'000'123);
  auto settings = webhook_settings("");
  settings.clock = clock.function();
  const auto request = signed_request("not-a-whsec-secret", settings);
  EXPECT_EQ(request.header("webhook-signature"), expected_signature("not-a-whsec-secret", request));
}

TEST(WebhookSignature, StandardWebhooksLibraryAcceptsItAndRejectsATamperedBody) {
  const std::string secret(kWhsecSecret);
  const auto request = signed_request(secret, webhook_settings(""));  // the real clock
  ASSERT_EQ(request.body, kPayload);
  EXPECT_EQ(verify_with_library(request, secret, false, request.body), (ExitStatus{0, 0}));
  std::string tampered = request.body;
  tampered.replace(tampered.find("42.5"), 4, "10.0");
  EXPECT_EQ(verify_with_library(request, secret, false, tampered), (ExitStatus{1, 0}))
      << "the verifier must reject a body that was not signed";
  EXPECT_EQ(verify_with_library(request, "whsec_" + std::string(32, 'A'), false, request.body),
            (ExitStatus{1, 0}))
      << "and a different secret";
}

TEST(WebhookSignature, StandardWebhooksLibraryAcceptsARawSecret) {
  const std::string secret = "a raw secret, not base64";
  const auto request = signed_request(secret, webhook_settings(""));
  EXPECT_EQ(verify_with_library(request, secret, true, request.body), (ExitStatus{0, 0}));
}

}  // namespace
}  // namespace herald::testing
