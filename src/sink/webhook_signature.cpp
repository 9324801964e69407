#include "sink/webhook_signature.hpp"

#include <openssl/core_names.h>
#include <openssl/params.h>

#include <array>

#include <fmt/format.h>

namespace herald::sink::webhook {

namespace {

constexpr std::string_view kSecretPrefix = "whsec_";

const unsigned char* bytes_of(std::string_view text) {
  return reinterpret_cast<const unsigned char*>(text.data());
}

}  // namespace

std::string base64_encode(std::string_view bytes) {
  std::string out(4 * ((bytes.size() + 2) / 3), '\0');
  const int written = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()), bytes_of(bytes),
                                      static_cast<int>(bytes.size()));
  out.resize(static_cast<std::size_t>(written));
  return out;
}

Result<std::string> base64_decode(std::string_view text) {
  // EVP_DecodeBlock accepts only whole quanta and counts padding as zero bytes: check the
  // shape first, then drop one output byte per '='.
  if (text.size() % 4 != 0) return make_error("its length is not a multiple of 4");
  std::string out(3 * text.size() / 4, '\0');
  const int written = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()), bytes_of(text),
                                      static_cast<int>(text.size()));
  if (written < 0) return make_error("it contains characters outside base64");
  std::size_t padding = 0;
  if (!text.empty() && text.back() == '=') ++padding;
  if (text.size() > 1 && text[text.size() - 2] == '=') ++padding;
  out.resize(static_cast<std::size_t>(written) - padding);
  return out;
}

Result<std::string> decode_secret(std::string_view secret) {
  if (!secret.starts_with(kSecretPrefix)) {
    if (secret.empty()) return make_error("the webhook secret is empty");
    return std::string(secret);
  }
  auto key = base64_decode(secret.substr(kSecretPrefix.size()));
  if (!key) {
    return make_error(
        fmt::format("the webhook secret starts with whsec_ but the rest is not "
                    "valid base64: {}",
                    key.error().message));
  }
  if (key->empty()) return make_error("the webhook secret whsec_ holds no key bytes");
  return std::move(key).value();
}

Signer::Signer(MacPtr mac, MacContextPtr prepared)
    : mac_(std::move(mac)), prepared_(std::move(prepared)) {}

Result<Signer> Signer::create(std::string_view key) {
  MacPtr mac(EVP_MAC_fetch(nullptr, "HMAC", nullptr));
  if (!mac) return make_error("OpenSSL offers no HMAC implementation");
  MacContextPtr context(EVP_MAC_CTX_new(mac.get()));
  std::array<char, 7> digest{"SHA256"};
  const std::array<OSSL_PARAM, 2> params{
      OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest.data(), 0),
      OSSL_PARAM_construct_end()};
  if (!context || EVP_MAC_init(context.get(), bytes_of(key), key.size(), params.data()) != 1) {
    return make_error("OpenSSL could not set up HMAC-SHA256");
  }
  return Signer(std::move(mac), std::move(context));
}

std::string Signer::sign(std::string_view id, std::int64_t timestamp, std::string_view body) const {
  const MacContextPtr context(EVP_MAC_CTX_dup(prepared_.get()));
  const std::string stamp = fmt::format(".{}.", timestamp);
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  std::size_t length = 0;
  const bool ok = context && EVP_MAC_update(context.get(), bytes_of(id), id.size()) == 1 &&
                  EVP_MAC_update(context.get(), bytes_of(stamp), stamp.size()) == 1 &&
                  EVP_MAC_update(context.get(), bytes_of(body), body.size()) == 1 &&
                  EVP_MAC_final(context.get(), digest.data(), &length, digest.size()) == 1;
  // Only an allocation failure gets here; an empty signature fails verification, which is
  // what the receiver should see rather than an unsigned request.
  if (!ok) return "v1,";
  return "v1," +
         base64_encode(std::string_view(reinterpret_cast<const char*>(digest.data()), length));
}

}  // namespace herald::sink::webhook
