#include "sink/nats_publish_ack.hpp"

#include <nlohmann/json.hpp>

namespace herald::sink::nats {

namespace {

constexpr std::size_t kQuotedReplyLimit = 200;

PublishAck unreadable(std::string_view reply) {
  std::string text = "unexpected reply to a JetStream publish: ";
  text += reply.substr(0, kQuotedReplyLimit);
  return PublishAck{false, NATS_ERR, 0, std::move(text)};
}

}  // namespace

PublishAck read_publish_ack(std::string_view reply) {
  // nats-server writes a stored message's ack as {"stream":"S", "seq":N[, "duplicate": true]}
  // and an error reply with "error" first, so the common case needs no parsing.
  if (reply.starts_with(R"({"stream":)")) return PublishAck{true, NATS_OK, 0, {}};

  const auto json = nlohmann::json::parse(reply, nullptr, /*allow_exceptions=*/false);
  if (!json.is_object()) return unreadable(reply);
  const auto error = json.find("error");
  if (error != json.end() && error->is_object()) {
    PublishAck ack{false, NATS_ERR, error->value("err_code", 0), error->value("description", "")};
    // An error without a JetStream code still names its HTTP-like code.
    if (ack.jetstream_code == 0 && ack.text.empty()) ack.text = error->dump();
    return ack;
  }
  if (json.contains("seq")) return PublishAck{true, NATS_OK, 0, {}};
  return unreadable(reply);
}

}  // namespace herald::sink::nats
