#pragma once
// Standard Webhooks signing (https://www.standardwebhooks.com): the signature header is
// `v1,<base64 HMAC-SHA256 of "<webhook-id>.<webhook-timestamp>.<body>">`. Secrets written
// as `whsec_<base64>` sign with the decoded bytes (what Standard Webhooks libraries do);
// any other secret signs with its raw bytes.

#include <cstdint>
#include <string>
#include <string_view>

#include "common/result.hpp"
#include "sink/webhook_handles.hpp"

namespace herald::sink::webhook {

// The signing key a configured secret stands for. Fails (without echoing the secret) when
// a `whsec_` secret is not valid base64 or either form is empty.
Result<std::string> decode_secret(std::string_view secret);

std::string base64_encode(std::string_view bytes);
// Standard base64 with padding; nullopt-like failure as an Error on bad input.
Result<std::string> base64_decode(std::string_view text);

// HMAC-SHA256 with one key, many messages. The key is set up once; each signature works on
// a copy of that prepared context, so signing copies neither key nor body.
class Signer {
 public:
  // `key` is the decoded key (decode_secret). Fails only when OpenSSL lacks HMAC.
  static Result<Signer> create(std::string_view key);

  // "v1,<base64>" for this id, unix timestamp and body.
  std::string sign(std::string_view id, std::int64_t timestamp, std::string_view body) const;

 private:
  Signer(MacPtr mac, MacContextPtr prepared);
  MacPtr mac_;
  MacContextPtr prepared_;  // keyed, nothing absorbed yet
};

}  // namespace herald::sink::webhook
