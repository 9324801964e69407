// NatsSink::ensure_stream against a real nats-server -js: create, extend, duplicate window,
// subjects owned by another stream, and a server without JetStream.

#include <gtest/gtest.h>

#include <algorithm>

#include "nats_test_client.hpp"
#include "sink/nats_sink.hpp"
#include "support/servers.hpp"

namespace herald::testing {
namespace {

using namespace std::chrono_literals;
using sink::CompletionQueue;
using sink::NatsSink;

bool contains(const std::vector<std::string>& list, const std::string& item) {
  return std::find(list.begin(), list.end(), item) != list.end();
}

class NatsStreamTest : public ::testing::Test {
 protected:
  NatsServer& server = SharedServers::get().nats();
  NatsTestClient client{server.url()};
  CompletionQueue queue;
  std::string stream = unique_name("stream");  // also used as the subject prefix
};

TEST_F(NatsStreamTest, CreatesAFileStreamWithTheSubjectsAndATwoMinuteDuplicateWindow) {
  auto settings = sink_settings(server.url(), stream, stream);
  settings.subjects.push_back(stream + ".order.created");  // covered by the prefix
  settings.subjects.push_back(stream + "_billing.paid");
  auto sink = NatsSink::connect(settings, queue);
  ASSERT_TRUE(sink) << sink.error().message;
  ASSERT_TRUE((*sink)->ensure_stream()) << "first ensure";

  const auto facts = client.stream(stream);
  ASSERT_TRUE(facts);
  EXPECT_EQ(facts->subjects, (std::vector<std::string>{stream + ".>", stream + "_billing.paid"}));
  EXPECT_EQ(facts->storage, js_FileStorage);
  EXPECT_EQ(facts->duplicate_window, 120s);
  auto again = (*sink)->ensure_stream();
  EXPECT_TRUE(again) << again.error().message;  // idempotent
}

TEST_F(NatsStreamTest, AddsOnlyTheMissingSubjectsToAnExistingStream) {
  ASSERT_EQ(client.add_stream(stream, {stream + ".>", stream + "_keep.*"}, 300s), NATS_OK);
  auto settings = sink_settings(server.url(), stream, stream);
  settings.subjects.push_back(stream + "_keep.x");     // covered by the operator's wildcard
  settings.subjects.push_back(stream + "_new.order");  // missing
  auto sink = NatsSink::connect(settings, queue);
  ASSERT_TRUE(sink) << sink.error().message;
  auto ensured = (*sink)->ensure_stream();
  ASSERT_TRUE(ensured) << ensured.error().message;

  const auto facts = client.stream(stream);
  ASSERT_TRUE(facts);
  EXPECT_EQ(facts->subjects,
            (std::vector<std::string>{stream + ".>", stream + "_keep.*", stream + "_new.order"}));
  EXPECT_EQ(facts->duplicate_window, 300s);     // a longer window is kept
  EXPECT_EQ(facts->storage, js_MemoryStorage);  // the operator's choice stays
}

TEST_F(NatsStreamTest, RaisesAShortDuplicateWindowToTwoMinutes) {
  ASSERT_EQ(client.add_stream(stream, {stream + ".>"}, 30s), NATS_OK);
  auto sink = NatsSink::connect(sink_settings(server.url(), stream, stream), queue);
  ASSERT_TRUE(sink) << sink.error().message;
  auto ensured = (*sink)->ensure_stream();
  ASSERT_TRUE(ensured) << ensured.error().message;
  const auto facts = client.stream(stream);
  ASSERT_TRUE(facts);
  EXPECT_EQ(facts->duplicate_window, 120s);
  EXPECT_EQ(facts->subjects, (std::vector<std::string>{stream + ".>"}));
}

TEST_F(NatsStreamTest, NamesTheStreamThatOwnsASubjectWhenCreating) {
  const std::string other = unique_name("owner");
  ASSERT_EQ(client.add_stream(other, {other + ".>"}), NATS_OK);
  auto settings = sink_settings(server.url(), stream, stream);
  settings.subjects.push_back(other + ".order.created");
  auto sink = NatsSink::connect(settings, queue);
  ASSERT_TRUE(sink) << sink.error().message;
  auto ensured = (*sink)->ensure_stream();
  ASSERT_FALSE(ensured);
  const std::string& message = ensured.error().message;
  EXPECT_NE(message.find("'" + other + ".order.created'"), std::string::npos) << message;
  EXPECT_NE(message.find("stream '" + other + "'"), std::string::npos) << message;
  EXPECT_NE(message.find("'" + other + ".>'"), std::string::npos) << message;
  EXPECT_FALSE(client.stream(stream));  // nothing half-created
}

TEST_F(NatsStreamTest, NamesTheStreamThatOwnsASubjectWhenExtending) {
  const std::string other = unique_name("owner");
  ASSERT_EQ(client.add_stream(other, {other + ".paid"}), NATS_OK);
  ASSERT_EQ(client.add_stream(stream, {stream + ".>"}, 120s), NATS_OK);
  auto settings = sink_settings(server.url(), stream, stream);
  settings.subjects.push_back(other + ".paid");
  auto sink = NatsSink::connect(settings, queue);
  ASSERT_TRUE(sink) << sink.error().message;
  auto ensured = (*sink)->ensure_stream();
  ASSERT_FALSE(ensured);
  const std::string& message = ensured.error().message;
  EXPECT_NE(message.find("subject '" + other + ".paid' is already owned by JetStream stream '" +
                         other + "'"),
            std::string::npos)
      << message;
  const auto facts = client.stream(stream);
  ASSERT_TRUE(facts);
  EXPECT_FALSE(contains(facts->subjects, other + ".paid"));
}

TEST(NatsStreamWithoutJetStream, SaysJetStreamIsNotAvailable) {
  TempDir dir("herald-nats-nojs-");
  const std::uint16_t port = pick_free_port();
  const std::uint16_t monitor = pick_free_port();
  ChildProcess server(
      {"nats-server", "-a", "127.0.0.1", "-p", std::to_string(port), "-m", std::to_string(monitor)},
      SpawnOptions().output_to(dir.path() / "nats.log"));
  ASSERT_TRUE(eventually([&] { return http_get_status(monitor, "/healthz", 500ms) == 200; }, 20s));

  CompletionQueue queue;
  auto settings = sink_settings("nats://127.0.0.1:" + std::to_string(port), "NOJS", "nojs");
  settings.ack_timeout = 1000ms;
  auto sink = NatsSink::connect(settings, queue);
  ASSERT_TRUE(sink) << sink.error().message;
  auto ensured = (*sink)->ensure_stream();
  ASSERT_FALSE(ensured);
  EXPECT_NE(ensured.error().message.find("JetStream is not available"), std::string::npos)
      << ensured.error().message;
  EXPECT_NE(ensured.error().message.find("-js"), std::string::npos) << ensured.error().message;
}

}  // namespace
}  // namespace herald::testing
