// NatsSink's chain on a replicated stream: three nats-servers in one JetStream cluster and
// a stream stored on all three (R3), as production runs NATS. The stream leader checks
// each link's Nats-Expected-Last-Sequence and Nats-Expected-Last-Msg-Id before it proposes
// the message to the others, so the chain proves the same there as on one server: a fresh
// ack at the predicted sequence means every link before it is stored, and another
// publisher breaks the chain without an event lost or stored twice.

#include <gtest/gtest.h>

#include <memory>
#include <optional>
#include <set>

#include <fmt/format.h>

#include "nats_test_client.hpp"
#include "sink/nats_sink.hpp"
#include "support/nats_cluster.hpp"

namespace herald::testing {
namespace {

using namespace std::chrono_literals;
using sink::CompletionQueue;
using sink::Delivery;
using sink::NatsSink;
using sink::Outcome;

class NatsClusterChainTest : public ::testing::Test {
 protected:
  void SetUp() override {
    jsErrCode code{};
    const natsStatus status = add_replicated_stream(&code);
    ASSERT_EQ(status, NATS_OK) << "no R3 stream: " << natsStatus_GetText(status)
                               << ", JetStream error " << code << "\n"
                               << cluster.server(0).log_tail();

    auto settings = sink_settings(cluster.urls(), stream, stream);
    settings.acks_polled = true;
    settings.chain_after = 4;
    settings.links_per_ack = 16;
    settings.chain_pause = 300ms;
    auto connected = NatsSink::connect(settings, queue);
    ASSERT_TRUE(connected) << connected.error().message;
    sink = std::move(*connected);
    auto ensured = sink->ensure_stream();
    ASSERT_TRUE(ensured) << ensured.error().message;
  }

  natsStatus add_replicated_stream(jsErrCode* code) {
    const std::string subjects = stream + ".>";
    const char* subject = subjects.c_str();
    jsStreamConfig config;
    jsStreamConfig_Init(&config);
    config.Name = stream.c_str();
    config.Subjects = &subject;
    config.SubjectsLen = 1;
    config.Storage = js_FileStorage;
    config.Replicas = static_cast<int>(NatsCluster::kSize);
    config.Duplicates = std::chrono::nanoseconds(120s).count();
    jsStreamInfo* raw = nullptr;
    const natsStatus status = js_AddStream(&raw, client().js(), &config, nullptr, code);
    const sink::nats::StreamInfoPtr info(raw);
    return status;
  }

  NatsTestClient& client() {
    if (!client_) client_.emplace(cluster.server(0).url());
    return *client_;
  }

  std::vector<Delivery> range(std::uint64_t first, std::uint64_t last) const {
    std::vector<Delivery> out;
    for (std::uint64_t n = first; n <= last; ++n) {
      out.push_back(delivery(n, stream + ".order.created", fmt::format("event-{:06}", n),
                             fmt::format(R"({{"n":{}}})", n)));
    }
    return out;
  }

  // Publishes 1..10 on their own and waits for their acks: from then on the sink knows
  // the stream is its alone and links what comes next. (A replicated stream acks after
  // its peers stored the message, later than one server does: without the wait, a quick
  // test would have submitted everything before the first ack came back.)
  void chain_on() {
    for (const auto& [token, c] : pump_polled(*sink, queue, range(1, 10), 10)) {
      ASSERT_EQ(c.outcome, Outcome::Delivered) << c.error;
    }
    ASSERT_EQ(sink->linked(), 0U);
  }

  static std::vector<std::string> ids_of(const std::vector<Delivery>& deliveries) {
    std::vector<std::string> ids;
    for (const auto& d : deliveries) ids.push_back(d.event_id);
    return ids;
  }

  NatsCluster cluster;
  std::optional<NatsTestClient> client_;
  CompletionQueue queue;
  std::string stream = "CLUSTERED";
  std::unique_ptr<NatsSink> sink;
};

TEST_F(NatsClusterChainTest, LinksAreStoredInOrderOnAStreamReplicatedThreeTimes) {
  chain_on();
  for (const auto& [token, c] : pump_polled(*sink, queue, range(11, 2000), 25)) {
    ASSERT_EQ(c.outcome, Outcome::Delivered) << "token " << token << ": " << c.error;
  }
  EXPECT_EQ(sink->linked(), 1990U) << "every publish after the first ten";
  EXPECT_EQ(stored_ids(client(), stream), ids_of(range(1, 2000)));
  const auto last = client().message(stream, 2000);
  ASSERT_TRUE(last);
  EXPECT_EQ(last->expected_last_msg_id, "event-001999");
}

TEST_F(NatsClusterChainTest, AnotherPublisherBreaksTheChainAndEveryEventIsStoredOnce) {
  chain_on();
  for (const auto& [token, c] : pump_polled(*sink, queue, range(11, 100), 10)) {
    ASSERT_EQ(c.outcome, Outcome::Delivered) << c.error;
  }
  ASSERT_EQ(sink->linked(), 90U);

  ASSERT_EQ(client().publish(stream + ".other"), NATS_OK);

  // What the broken chain did not confirm completes as Retry; sent again, as the capture
  // loop's replay would, every event ends stored exactly once.
  auto pending = range(101, 400);
  bool broke = false;
  for (int round = 0; round < 5 && !pending.empty(); ++round) {
    const auto done = pump_polled(*sink, queue, pending, 10);
    std::vector<Delivery> again;
    for (const auto& d : pending) {
      const auto& c = done.at(d.token);
      if (c.outcome == Outcome::Delivered) continue;
      EXPECT_EQ(c.outcome, Outcome::Retry) << c.error;
      broke = true;
      again.push_back(d);
    }
    pending = std::move(again);
  }
  EXPECT_TRUE(pending.empty()) << pending.size() << " never delivered";
  EXPECT_TRUE(broke) << "the foreign message should have broken the chain";
  const auto ids = stored_ids(client(), stream);
  ASSERT_EQ(ids.size(), 401U);
  const std::set<std::string> unique(ids.begin(), ids.end());
  EXPECT_EQ(unique.size(), 401U) << "an event stored twice";
  for (const auto& id : ids_of(range(1, 400))) EXPECT_EQ(unique.count(id), 1U) << id;
}

}  // namespace
}  // namespace herald::testing
