// What a webhook request from `herald run` looks like (SPEC section 4), checked by a
// receiver no one here wrote: the npm `standardwebhooks` library verifies the signature
// (tools/node/verify-webhook.mjs), and rejects the same request with a changed body.

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>

#include "cli/support_delivery.hpp"

namespace herald::testing {
namespace {

using namespace std::chrono_literals;

constexpr const char* kSecretVariable = "HERALD_DELIVERY_TEST_WEBHOOK_SECRET";
constexpr const char* kSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

// The library's verdict on the request with `body`: its exit status (0 verified).
ExitStatus verify(const ReceivedRequest& request, const std::string& body) {
  const std::filesystem::path tools = std::filesystem::path(HERALD_SOURCE_DIR) / "tools/node";
  EXPECT_TRUE(std::filesystem::exists(tools / "node_modules/standardwebhooks"))
      << "run scripts/install-node-tools.sh (or `cd tools/node && npm ci`)";
  TempDir dir("herald-run-verify-");
  std::ofstream(dir.path() / "body", std::ios::binary) << body;
  ChildProcess node(
      {"node", (tools / "verify-webhook.mjs").string(), "--id", request.header("webhook-id"),
       "--timestamp", request.header("webhook-timestamp"), "--signature",
       request.header("webhook-signature"), "--body-file", (dir.path() / "body").string()},
      SpawnOptions().set_env("WEBHOOK_SECRET", kSecret));
  const auto status = node.wait_for_exit(60s);
  EXPECT_TRUE(status.has_value()) << "node did not finish";
  return status.value_or(ExitStatus{});
}

class WebhookSignatureRunTest : public DeliveryTest {};

TEST_F(WebhookSignatureRunTest, RequestsCarryTheEventAndASignatureStandardWebhooksAccepts) {
  ::setenv(kSecretVariable, kSecret, 1);  // herald run inherits the environment
  WebhookTestReceiver receiver;
  db_.exec("CREATE TABLE tb_order (id int PRIMARY KEY, note text)");
  ASSERT_NO_FATAL_FAILURE(
      start_herald(webhook_rule("tb_order", receiver.url("/hooks/orders"), Retry{},
                                std::string("secret_env = \"") + kSecretVariable +
                                    "\"\nheaders = { \"X-Team\" = \"billing\" }")));
  db_.exec("INSERT INTO tb_order VALUES (1, 'Zoë ☕')");
  ASSERT_TRUE(wait_until([&] { return receiver.request_count() == 1; }, 20s, "the request"));

  const auto request = receiver.requests().at(0);
  EXPECT_EQ(request.method, "POST");
  EXPECT_EQ(request.target, "/hooks/orders");
  EXPECT_EQ(request.header("content-type"), "application/json");
  EXPECT_EQ(request.header("x-team"), "billing");
  const auto event = body_of(request);
  ASSERT_TRUE(event.is_object()) << request.body;
  EXPECT_EQ(event["entity"]["note"], "Zoë ☕");
  EXPECT_EQ(request.header("webhook-id"), event["id"].get<std::string>());
  const long long sent_at = std::stoll(request.header("webhook-timestamp"));
  const long long now = std::chrono::duration_cast<std::chrono::seconds>(
                            std::chrono::system_clock::now().time_since_epoch())
                            .count();
  EXPECT_LE(std::llabs(now - sent_at), 60);
  EXPECT_EQ(request.header("webhook-signature").rfind("v1,", 0), 0U);

  EXPECT_EQ(verify(request, request.body), (ExitStatus{0, 0}));
  std::string tampered = request.body;
  tampered.replace(tampered.find("\"note\""), 6, "\"nope\"");
  EXPECT_EQ(verify(request, tampered), (ExitStatus{1, 0})) << "a changed body must not verify";
  EXPECT_EQ(herald_->log_since_start().find(kSecret + 6), std::string::npos)
      << "the secret leaked into the log";
}

}  // namespace
}  // namespace herald::testing
