#include "cli/support_stream_reader.hpp"

#include <nats/nats.h>

#include <algorithm>
#include <memory>
#include <stdexcept>
#include <thread>

#include <fmt/format.h>

#include "support/eventually.hpp"

namespace herald::testing {
namespace {

template <auto Destroy>
struct NatsDeleter {
  template <typename T>
  void operator()(T* handle) const noexcept {
    Destroy(handle);
  }
};
using OptionsPtr = std::unique_ptr<natsOptions, NatsDeleter<&natsOptions_Destroy>>;
using ConnectionPtr = std::unique_ptr<natsConnection, NatsDeleter<&natsConnection_Destroy>>;
using JetStreamPtr = std::unique_ptr<jsCtx, NatsDeleter<&jsCtx_Destroy>>;
using StreamInfoPtr = std::unique_ptr<jsStreamInfo, NatsDeleter<&jsStreamInfo_Destroy>>;
using SubscriptionPtr = std::unique_ptr<natsSubscription, NatsDeleter<&natsSubscription_Destroy>>;
using MsgPtr = std::unique_ptr<natsMsg, NatsDeleter<&natsMsg_Destroy>>;
using MetaPtr = std::unique_ptr<jsMsgMetaData, NatsDeleter<&jsMsgMetaData_Destroy>>;

// A short-lived client: no reconnects, so a call during an outage fails fast instead of
// buffering.
struct Client {
  ConnectionPtr connection;
  JetStreamPtr js;
};

std::optional<Client> connect(const std::string& url) {
  natsOptions* raw_options = nullptr;
  if (natsOptions_Create(&raw_options) != NATS_OK) return std::nullopt;
  OptionsPtr options(raw_options);
  natsOptions_SetURL(options.get(), url.c_str());
  natsOptions_SetTimeout(options.get(), 2000);
  natsOptions_SetAllowReconnect(options.get(), false);
  natsConnection* raw_connection = nullptr;
  if (natsConnection_Connect(&raw_connection, options.get()) != NATS_OK) {
    natsConnection_Destroy(raw_connection);
    return std::nullopt;
  }
  Client client;
  client.connection.reset(raw_connection);
  jsOptions js_options;
  jsOptions_Init(&js_options);
  js_options.Wait = 5000;
  jsCtx* raw_js = nullptr;
  if (natsConnection_JetStream(&raw_js, client.connection.get(), &js_options) != NATS_OK) {
    return std::nullopt;
  }
  client.js.reset(raw_js);
  return client;
}

StreamInfoPtr stream_info(const Client& client, const std::string& stream) {
  jsStreamInfo* raw = nullptr;
  const natsStatus status =
      js_GetStreamInfo(&raw, client.js.get(), stream.c_str(), nullptr, nullptr);
  StreamInfoPtr info(raw);
  if (status != NATS_OK) info.reset();
  return info;
}

StreamMessage to_stream_message(natsMsg* msg) {
  StreamMessage out;
  jsMsgMetaData* raw_meta = nullptr;
  if (natsMsg_GetMetaData(&raw_meta, msg) == NATS_OK) {
    const MetaPtr meta(raw_meta);
    out.sequence = meta->Sequence.Stream;
  }
  out.subject = natsMsg_GetSubject(msg);
  out.data.assign(natsMsg_GetData(msg), static_cast<std::size_t>(natsMsg_GetDataLength(msg)));
  const char* id = nullptr;
  if (natsMsgHeader_Get(msg, "Nats-Msg-Id", &id) == NATS_OK && id != nullptr) out.msg_id = id;
  out.body = nlohmann::json::parse(out.data, nullptr, false);
  return out;
}

}  // namespace

std::optional<std::uint64_t> stream_message_count(const std::string& nats_url,
                                                  const std::string& stream) {
  auto client = connect(nats_url);
  if (!client) return std::nullopt;
  auto info = stream_info(*client, stream);
  if (!info) return std::nullopt;
  return info->State.Msgs;
}

namespace {

// One request per message: works for any stream, fine for small ones.
void read_by_sequence(const Client& client, const std::string& stream, const jsStreamInfo& info,
                      std::vector<StreamMessage>& out) {
  for (std::uint64_t seq = info.State.FirstSeq; seq <= info.State.LastSeq; ++seq) {
    natsMsg* raw = nullptr;
    const natsStatus status =
        js_GetMsg(&raw, client.js.get(), stream.c_str(), seq, nullptr, nullptr);
    const MsgPtr msg(raw);
    if (status != NATS_OK) continue;  // a deleted message leaves a gap
    StreamMessage m = to_stream_message(msg.get());
    m.sequence = seq;
    out.push_back(std::move(m));
  }
}

// An ordered consumer: every message once, in stream order, no acks; fast for big streams.
// It takes one filter subject, so it serves streams with a single subject.
void read_with_consumer(const Client& client, const std::string& stream, const std::string& subject,
                        std::uint64_t expected, std::chrono::milliseconds timeout,
                        std::vector<StreamMessage>& out) {
  jsSubOptions sub_options;
  jsSubOptions_Init(&sub_options);
  sub_options.Stream = stream.c_str();
  sub_options.Ordered = true;
  sub_options.Config.DeliverPolicy = js_DeliverAll;
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  natsSubscription* raw_sub = nullptr;
  jsErrCode err = static_cast<jsErrCode>(0);
  natsStatus status = NATS_OK;
  // Making the consumer times out while a cluster elects new leaders (a server of it just
  // went away): ask again until the deadline.
  while ((status = js_SubscribeSync(&raw_sub, client.js.get(), subject.c_str(), nullptr,
                                    &sub_options, &err)) == NATS_TIMEOUT &&
         std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  const SubscriptionPtr sub(raw_sub);
  if (status != NATS_OK) {
    throw std::runtime_error(
        fmt::format("stream reader: cannot consume {}: {} (JetStream error {})", stream,
                    natsStatus_GetText(status), static_cast<int>(err)));
  }
  while (out.size() < expected && std::chrono::steady_clock::now() < deadline) {
    natsMsg* raw_msg = nullptr;
    if (natsSubscription_NextMsg(&raw_msg, sub.get(), 1000) != NATS_OK) continue;
    const MsgPtr msg(raw_msg);
    out.push_back(to_stream_message(msg.get()));
  }
  natsSubscription_Unsubscribe(sub.get());
}

}  // namespace

std::vector<StreamMessage> read_stream(const std::string& nats_url, const std::string& stream,
                                       std::chrono::milliseconds timeout) {
  auto client = connect(nats_url);
  if (!client) throw std::runtime_error("stream reader: cannot connect to " + nats_url);
  auto info = stream_info(*client, stream);
  if (!info || info->Config == nullptr)
    throw std::runtime_error("stream reader: no stream " + stream);
  const std::uint64_t expected = info->State.Msgs;
  std::vector<StreamMessage> out;
  if (expected == 0) return out;
  out.reserve(expected);
  if (info->Config->SubjectsLen == 1) {
    read_with_consumer(*client, stream, info->Config->Subjects[0], expected, timeout, out);
  } else {
    read_by_sequence(*client, stream, *info, out);
  }
  if (out.size() < expected) {
    throw std::runtime_error(
        fmt::format("stream reader: read {} of {} messages of {}", out.size(), expected, stream));
  }
  std::sort(out.begin(), out.end(),
            [](const StreamMessage& a, const StreamMessage& b) { return a.sequence < b.sequence; });
  return out;
}

std::optional<StreamConfig> stream_config(const std::string& nats_url, const std::string& stream) {
  auto client = connect(nats_url);
  if (!client) return std::nullopt;
  auto info = stream_info(*client, stream);
  if (!info || info->Config == nullptr) return std::nullopt;
  StreamConfig out;
  for (int i = 0; i < info->Config->SubjectsLen; ++i)
    out.subjects.emplace_back(info->Config->Subjects[i]);
  out.duplicate_window = std::chrono::nanoseconds(info->Config->Duplicates);
  return out;
}

void create_stream(const std::string& nats_url, const std::string& stream,
                   const std::vector<std::string>& subjects, int replicas) {
  auto client = connect(nats_url);
  if (!client) throw std::runtime_error("stream reader: cannot connect to " + nats_url);
  std::vector<const char*> subject_ptrs;
  for (const auto& s : subjects) subject_ptrs.push_back(s.c_str());
  jsStreamConfig config;
  jsStreamConfig_Init(&config);
  config.Name = stream.c_str();
  config.Subjects = subject_ptrs.data();
  config.SubjectsLen = static_cast<int>(subject_ptrs.size());
  config.Replicas = replicas;
  jsStreamInfo* raw = nullptr;
  const natsStatus status = js_AddStream(&raw, client->js.get(), &config, nullptr, nullptr);
  const StreamInfoPtr info(raw);
  if (status != NATS_OK) {
    throw std::runtime_error(
        fmt::format("cannot create stream {}: {}", stream, natsStatus_GetText(status)));
  }
}

void publish_to_stream(const std::string& nats_url, const std::string& subject,
                       const std::string& data) {
  auto client = connect(nats_url);
  if (!client) throw std::runtime_error("stream reader: cannot connect to " + nats_url);
  jsPubAck* ack = nullptr;
  jsErrCode error{};
  const natsStatus status = js_Publish(&ack, client->js.get(), subject.c_str(), data.data(),
                                       static_cast<int>(data.size()), nullptr, &error);
  jsPubAck_Destroy(ack);
  if (status != NATS_OK) {
    throw std::runtime_error(fmt::format("cannot publish to {}: {} (JetStream error {})", subject,
                                         natsStatus_GetText(status), static_cast<int>(error)));
  }
}

bool wait_for_stream_count(const std::string& nats_url, const std::string& stream,
                           std::uint64_t count, std::chrono::milliseconds timeout) {
  return eventually(
      [&] {
        auto n = stream_message_count(nats_url, stream);
        return n && *n >= count;
      },
      timeout, std::chrono::milliseconds(20));
}

std::vector<StreamMessage> wait_and_read_stream(const std::string& nats_url,
                                                const std::string& stream, std::uint64_t count,
                                                std::chrono::milliseconds timeout) {
  if (!wait_for_stream_count(nats_url, stream, count, timeout)) {
    auto n = stream_message_count(nats_url, stream);
    throw std::runtime_error(fmt::format("stream {} holds {} messages, expected at least {}",
                                         stream, n ? std::to_string(*n) : std::string("no"),
                                         count));
  }
  return read_stream(nats_url, stream);
}

}  // namespace herald::testing
