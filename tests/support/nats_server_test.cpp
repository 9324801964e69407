// NatsServer: a real nats-server with JetStream that tests can stop and restart.

#include <gtest/gtest.h>
#include <nats/nats.h>

#include <cstdint>
#include <memory>
#include <string>

#include "support/servers.hpp"

namespace herald::testing {
namespace {

using ConnectionPtr = std::unique_ptr<natsConnection, decltype(&natsConnection_Destroy)>;
using JetStreamPtr = std::unique_ptr<jsCtx, decltype(&jsCtx_Destroy)>;
using StreamInfoPtr = std::unique_ptr<jsStreamInfo, decltype(&jsStreamInfo_Destroy)>;
using PubAckPtr = std::unique_ptr<jsPubAck, decltype(&jsPubAck_Destroy)>;

// A connection and JetStream context for one test.
struct JetStreamClient {
  explicit JetStreamClient(const std::string& url) {
    natsConnection* raw_connection = nullptr;
    status = natsConnection_ConnectTo(&raw_connection, url.c_str());
    connection.reset(raw_connection);
    if (status != NATS_OK) return;
    jsCtx* raw_js = nullptr;
    status = natsConnection_JetStream(&raw_js, connection.get(), nullptr);
    js.reset(raw_js);
  }

  natsStatus status = NATS_OK;
  ConnectionPtr connection{nullptr, &natsConnection_Destroy};
  JetStreamPtr js{nullptr, &jsCtx_Destroy};
};

natsStatus add_stream(jsCtx* js, const std::string& name, const std::string& subjects) {
  jsStreamConfig config;
  jsStreamConfig_Init(&config);
  config.Name = name.c_str();
  const char* subject_list[] = {subjects.c_str()};
  config.Subjects = subject_list;
  config.SubjectsLen = 1;
  config.Storage = js_FileStorage;
  jsStreamInfo* raw_info = nullptr;
  jsErrCode error = static_cast<jsErrCode>(0);
  const natsStatus status = js_AddStream(&raw_info, js, &config, nullptr, &error);
  const StreamInfoPtr info(raw_info, &jsStreamInfo_Destroy);
  return status;
}

// Publishes with a JetStream ack; the acknowledged stream sequence, 0 on failure.
std::uint64_t publish(jsCtx* js, const std::string& subject, const std::string& payload) {
  jsPubAck* raw_ack = nullptr;
  jsErrCode error = static_cast<jsErrCode>(0);
  const natsStatus status = js_Publish(&raw_ack, js, subject.c_str(), payload.data(),
                                       static_cast<int>(payload.size()), nullptr, &error);
  const PubAckPtr ack(raw_ack, &jsPubAck_Destroy);
  return status == NATS_OK && ack ? ack->Sequence : 0;
}

// Messages in the stream, -1 when its info cannot be read.
std::int64_t stream_messages(jsCtx* js, const std::string& name) {
  jsStreamInfo* raw_info = nullptr;
  jsErrCode error = static_cast<jsErrCode>(0);
  const natsStatus status = js_GetStreamInfo(&raw_info, js, name.c_str(), nullptr, &error);
  const StreamInfoPtr info(raw_info, &jsStreamInfo_Destroy);
  return status == NATS_OK && info ? static_cast<std::int64_t>(info->State.Msgs) : -1;
}

TEST(NatsServer, AcceptsAStreamAndAcknowledgesPublishes) {
  NatsServer& server = SharedServers::get().nats();
  EXPECT_EQ(server.url(), "nats://127.0.0.1:" + std::to_string(server.port()));
  JetStreamClient client(server.url());
  ASSERT_EQ(client.status, NATS_OK) << natsStatus_GetText(client.status);
  const std::string stream = unique_name();
  ASSERT_EQ(add_stream(client.js.get(), stream, stream + ".>"), NATS_OK);
  EXPECT_EQ(publish(client.js.get(), stream + ".order.created", R"({"id":1})"), 1U);
  EXPECT_EQ(publish(client.js.get(), stream + ".order.updated", R"({"id":1})"), 2U);
  EXPECT_EQ(stream_messages(client.js.get(), stream), 2);
}

TEST(NatsServer, KeepsStreamsAcrossStopAndStart) {
  NatsServer server;
  const auto port = server.port();
  {
    JetStreamClient client(server.url());
    ASSERT_EQ(client.status, NATS_OK);
    ASSERT_EQ(add_stream(client.js.get(), "KEPT", "kept.>"), NATS_OK);
    ASSERT_EQ(publish(client.js.get(), "kept.one", "1"), 1U);
  }
  server.stop();
  EXPECT_FALSE(server.running());
  EXPECT_FALSE(port_accepts_connections(port));
  server.start();
  EXPECT_EQ(server.port(), port);
  JetStreamClient client(server.url());
  ASSERT_EQ(client.status, NATS_OK);
  EXPECT_EQ(stream_messages(client.js.get(), "KEPT"), 1);
  EXPECT_EQ(publish(client.js.get(), "kept.two", "2"), 2U);
}

TEST(NatsServer, KeepsAcknowledgedMessagesAcrossACrash) {
  NatsServer server;
  {
    JetStreamClient client(server.url());
    ASSERT_EQ(client.status, NATS_OK);
    ASSERT_EQ(add_stream(client.js.get(), "CRASH", "crash.>"), NATS_OK);
    ASSERT_EQ(publish(client.js.get(), "crash.one", "1"), 1U);
  }
  server.kill();
  EXPECT_FALSE(server.running());
  server.start();
  JetStreamClient client(server.url());
  ASSERT_EQ(client.status, NATS_OK);
  EXPECT_EQ(stream_messages(client.js.get(), "CRASH"), 1);
}

TEST(NatsServer, ClientsCannotConnectWhileStopped) {
  NatsServer server;
  server.stop();
  JetStreamClient client(server.url());
  EXPECT_EQ(client.status, NATS_NO_SERVER);
}

}  // namespace
}  // namespace herald::testing
