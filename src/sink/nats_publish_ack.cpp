#include "sink/nats_publish_ack.hpp"

#include <algorithm>
#include <charconv>
#include <optional>

#include <nlohmann/json.hpp>

namespace herald::sink::nats {

namespace {

constexpr std::size_t kQuotedReplyLimit = 200;

PublishAck unreadable(std::string_view reply) {
  std::string text = "unexpected reply to a JetStream publish: ";
  text += reply.substr(0, kQuotedReplyLimit);
  return PublishAck{false, 0, false, NATS_ERR, 0, std::move(text)};
}

PublishAck stored(std::uint64_t sequence, bool duplicate) {
  return PublishAck{true, sequence, duplicate, NATS_OK, 0, {}};
}

// The value after `"name":` and any spaces, or an empty view.
std::string_view value_of(std::string_view reply, std::string_view quoted_name) {
  const auto at = reply.find(quoted_name);
  if (at == std::string_view::npos) return {};
  std::string_view rest = reply.substr(at + quoted_name.size());
  rest.remove_prefix(std::min(rest.find_first_not_of(" :"), rest.size()));
  return rest;
}

// A stored message's ack, read without a JSON parser; nullopt when it is not that simple.
std::optional<PublishAck> read_stored(std::string_view reply) {
  const std::string_view seq = value_of(reply, R"("seq")");
  std::uint64_t sequence = 0;
  const auto parsed = std::from_chars(seq.data(), seq.data() + seq.size(), sequence);
  if (parsed.ec != std::errc{} || parsed.ptr == seq.data()) return std::nullopt;
  return stored(sequence, value_of(reply, R"("duplicate")").starts_with("true"));
}

}  // namespace

PublishAck read_publish_ack(std::string_view reply) {
  // nats-server writes a stored message's ack as {"stream":"S", "seq":N[, "duplicate": true]}
  // and an error reply with "error" first, so the common case needs no JSON parser.
  if (reply.starts_with(R"({"stream":)")) {
    if (auto ack = read_stored(reply)) return *ack;
  }

  const auto json = nlohmann::json::parse(reply, nullptr, /*allow_exceptions=*/false);
  if (!json.is_object()) return unreadable(reply);
  const auto error = json.find("error");
  if (error != json.end() && error->is_object()) {
    PublishAck ack{
        false, 0, false, NATS_ERR, error->value("err_code", 0), error->value("description", "")};
    // An error without a JetStream code still names its HTTP-like code.
    if (ack.jetstream_code == 0 && ack.text.empty()) ack.text = error->dump();
    return ack;
  }
  const auto seq = json.find("seq");
  if (seq != json.end() && seq->is_number_unsigned()) {
    const auto duplicate = json.find("duplicate");
    return stored(seq->get<std::uint64_t>(),
                  duplicate != json.end() && duplicate->is_boolean() && duplicate->get<bool>());
  }
  return unreadable(reply);
}

}  // namespace herald::sink::nats
