#include "nats_test_client.hpp"

#include <poll.h>

#include <stdexcept>
#include <thread>

#include <fmt/format.h>
#include <gtest/gtest.h>

namespace herald::testing {

namespace {

constexpr std::int64_t kNanosPerSecond = 1'000'000'000;

// Waits until the queue's wake fd is readable or the deadline passes.
void wait_readable(int fd, std::chrono::steady_clock::time_point deadline) {
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
      deadline - std::chrono::steady_clock::now());
  pollfd entry{fd, POLLIN, 0};
  ::poll(&entry, 1, static_cast<int>(std::max<std::int64_t>(0, left.count())));
}

}  // namespace

NatsTestClient::NatsTestClient(const std::string& url) {
  natsConnection* raw_connection = nullptr;
  natsStatus status = natsConnection_ConnectTo(&raw_connection, url.c_str());
  connection_.reset(raw_connection);
  if (status != NATS_OK) {
    throw std::runtime_error(
        fmt::format("test client cannot connect to {}: {}", url, natsStatus_GetText(status)));
  }
  jsCtx* raw_js = nullptr;
  status = natsConnection_JetStream(&raw_js, connection_.get(), nullptr);
  js_.reset(raw_js);
  if (status != NATS_OK) throw std::runtime_error("test client has no JetStream context");
}

natsStatus NatsTestClient::add_stream(const std::string& name,
                                      const std::vector<std::string>& subjects,
                                      std::chrono::seconds duplicate_window,
                                      std::int32_t max_message_bytes) {
  std::vector<const char*> subject_ptrs;
  subject_ptrs.reserve(subjects.size());
  for (const auto& s : subjects) subject_ptrs.push_back(s.c_str());
  jsStreamConfig config;
  jsStreamConfig_Init(&config);
  config.Name = name.c_str();
  config.Subjects = subject_ptrs.data();
  config.SubjectsLen = static_cast<int>(subject_ptrs.size());
  config.Storage = js_MemoryStorage;
  config.Duplicates = duplicate_window.count() * kNanosPerSecond;
  if (max_message_bytes > 0) config.MaxMsgSize = max_message_bytes;
  jsStreamInfo* raw = nullptr;
  const natsStatus status = js_AddStream(&raw, js_.get(), &config, nullptr, nullptr);
  const sink::nats::StreamInfoPtr info(raw);
  return status;
}

natsStatus NatsTestClient::publish(const std::string& subject) const {
  jsPubAck* ack = nullptr;
  jsErrCode error{};
  const natsStatus status = js_Publish(&ack, js_.get(), subject.c_str(), "{}", 2, nullptr, &error);
  jsPubAck_Destroy(ack);
  return status;
}

std::optional<StreamFacts> NatsTestClient::stream(const std::string& name) const {
  jsStreamInfo* raw = nullptr;
  const natsStatus status = js_GetStreamInfo(&raw, js_.get(), name.c_str(), nullptr, nullptr);
  const sink::nats::StreamInfoPtr info(raw);
  if (status != NATS_OK || !info || info->Config == nullptr) return std::nullopt;
  StreamFacts facts;
  for (int i = 0; i < info->Config->SubjectsLen; ++i) {
    facts.subjects.emplace_back(info->Config->Subjects[i]);
  }
  facts.duplicate_window = std::chrono::nanoseconds(info->Config->Duplicates);
  facts.storage = info->Config->Storage;
  facts.messages = info->State.Msgs;
  return facts;
}

std::optional<StoredMessage> NatsTestClient::message(const std::string& stream,
                                                     std::uint64_t sequence) const {
  natsMsg* raw = nullptr;
  const natsStatus status = js_GetMsg(&raw, js_.get(), stream.c_str(), sequence, nullptr, nullptr);
  const sink::nats::MsgPtr msg(raw);
  if (status != NATS_OK || !msg) return std::nullopt;
  StoredMessage stored;
  stored.subject = natsMsg_GetSubject(msg.get());
  stored.data.assign(natsMsg_GetData(msg.get()),
                     static_cast<std::size_t>(natsMsg_GetDataLength(msg.get())));
  const auto header = [&msg](const char* name) {
    const char* value = nullptr;
    return natsMsgHeader_Get(msg.get(), name, &value) == NATS_OK && value != nullptr
               ? std::string(value)
               : std::string();
  };
  stored.msg_id = header("Nats-Msg-Id");
  stored.expected_last_msg_id = header("Nats-Expected-Last-Msg-Id");
  stored.expected_last_sequence = header("Nats-Expected-Last-Sequence");
  return stored;
}

sink::NatsSinkSettings sink_settings(const std::string& url, const std::string& stream,
                                     const std::string& prefix) {
  sink::NatsSinkSettings settings;
  settings.url = url;
  settings.stream = stream;
  settings.subjects = {prefix + ".>"};
  return settings;
}

bool submit_waiting(sink::Sink& sink, sink::CompletionQueue& queue, const sink::Delivery& delivery,
                    std::vector<sink::Completion>& done, std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!sink.submit(delivery)) {
    if (std::chrono::steady_clock::now() >= deadline) return false;
    wait_readable(queue.wake_fd(), deadline);
    queue.drain(done);
  }
  return true;
}

bool collect(sink::CompletionQueue& queue, std::vector<sink::Completion>& done, std::size_t count,
             std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  queue.drain(done);
  while (done.size() < count && std::chrono::steady_clock::now() < deadline) {
    wait_readable(queue.wake_fd(), deadline);
    queue.drain(done);
  }
  return done.size() >= count;
}

sink::Delivery delivery(std::uint64_t token, const std::string& subject, const std::string& id,
                        const std::string& payload) {
  return sink::Delivery{token, id, subject, payload};
}

std::map<std::uint64_t, sink::Completion> pump_polled(sink::NatsSink& sink,
                                                      sink::CompletionQueue& queue,
                                                      const std::vector<sink::Delivery>& deliveries,
                                                      std::size_t batch) {
  using namespace std::chrono_literals;
  std::vector<sink::Completion> done;
  const auto deadline = std::chrono::steady_clock::now() + 30s;
  for (std::size_t i = 0; i < deliveries.size(); ++i) {
    while (!sink.submit(deliveries[i]) && std::chrono::steady_clock::now() < deadline) {
      sink.poll();
      queue.drain(done);
      std::this_thread::sleep_for(200us);
    }
    if ((i + 1) % batch == 0) sink.poll();
  }
  while (done.size() < deliveries.size() && std::chrono::steady_clock::now() < deadline) {
    sink.poll();
    queue.drain(done);
    std::this_thread::sleep_for(1ms);
  }
  std::map<std::uint64_t, sink::Completion> by_token;
  for (auto& c : done) {
    EXPECT_TRUE(by_token.emplace(c.token, c).second) << "token " << c.token << " twice";
  }
  EXPECT_EQ(by_token.size(), deliveries.size());
  return by_token;
}

std::vector<std::string> stored_ids(const NatsTestClient& client, const std::string& stream) {
  std::vector<std::string> ids;
  const auto facts = client.stream(stream);
  if (!facts) return ids;
  for (std::uint64_t seq = 1; seq <= facts->messages; ++seq) {
    const auto m = client.message(stream, seq);
    ids.push_back(m ? m->msg_id : "?");
  }
  return ids;
}

}  // namespace herald::testing
