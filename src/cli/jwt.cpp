#include "cli/jwt.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <array>
#include <optional>
#include <string>

namespace herald::cli {
namespace {

// base64url without padding (RFC 7515 section 2); nullopt for any other character.
std::optional<std::string> base64url_decode(std::string_view text) {
  std::string out;
  out.reserve(text.size() * 3 / 4);
  std::uint32_t bits = 0;
  int count = 0;
  for (const char c : text) {
    int value = -1;
    if (c >= 'A' && c <= 'Z') value = c - 'A';
    if (c >= 'a' && c <= 'z') value = c - 'a' + 26;
    if (c >= '0' && c <= '9') value = c - '0' + 52;
    if (c == '-') value = 62;
    if (c == '_') value = 63;
    if (value < 0) return std::nullopt;
    bits = (bits << 6) | static_cast<std::uint32_t>(value);
    count += 6;
    if (count >= 8) {
      count -= 8;
      out.push_back(static_cast<char>((bits >> count) & 0xFF));
    }
  }
  if (count >= 6) return std::nullopt;  // a lone trailing character holds no whole byte
  return out;
}

std::optional<nlohmann::json> json_object(std::string_view base64url) {
  auto decoded = base64url_decode(base64url);
  if (!decoded) return std::nullopt;
  auto value = nlohmann::json::parse(*decoded, nullptr, false);
  if (value.is_discarded() || !value.is_object()) return std::nullopt;
  return value;
}

}  // namespace

std::string_view bearer_token(std::string_view authorization) {
  constexpr std::string_view kScheme = "bearer ";
  if (authorization.size() <= kScheme.size()) return {};
  for (std::size_t i = 0; i < kScheme.size(); ++i) {
    const char c = authorization[i];
    const char lower = c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
    if (lower != kScheme[i]) return {};
  }
  std::string_view token = authorization.substr(kScheme.size());
  while (!token.empty() && token.front() == ' ') token.remove_prefix(1);
  while (!token.empty() && token.back() == ' ') token.remove_suffix(1);
  return token;
}

Result<nlohmann::json> verify_hs256_jwt(std::string_view token, std::string_view secret,
                                        std::chrono::system_clock::time_point now) {
  const auto first = token.find('.');
  const auto second = first == std::string_view::npos ? first : token.find('.', first + 1);
  if (second == std::string_view::npos || token.find('.', second + 1) != std::string_view::npos)
    return make_error("the token is not a JWT (header.payload.signature)");
  auto header = json_object(token.substr(0, first));
  if (!header) return make_error("the token's header is not base64url JSON");
  if (header->value("alg", "") != "HS256") return make_error("the token is not signed with HS256");

  const std::string_view signed_part = token.substr(0, second);
  std::array<unsigned char, EVP_MAX_MD_SIZE> mac{};
  unsigned int mac_size = 0;
  if (HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()),
           reinterpret_cast<const unsigned char*>(signed_part.data()), signed_part.size(),
           mac.data(), &mac_size) == nullptr)
    return make_error("cannot compute HMAC-SHA256");
  auto signature = base64url_decode(token.substr(second + 1));
  if (!signature || signature->size() != mac_size ||
      CRYPTO_memcmp(signature->data(), mac.data(), mac_size) != 0)
    return make_error("the token's signature does not match");

  auto claims = json_object(token.substr(first + 1, second - first - 1));
  if (!claims) return make_error("the token's payload is not base64url JSON");
  const auto seconds =
      std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count();
  const auto exp = claims->find("exp");
  if (exp != claims->end() &&
      (!exp->is_number() || exp->get<double>() <= static_cast<double>(seconds)))
    return make_error("the token has expired");
  const auto nbf = claims->find("nbf");
  if (nbf != claims->end() &&
      (!nbf->is_number() || nbf->get<double>() > static_cast<double>(seconds)))
    return make_error("the token is not valid yet");
  return *claims;
}

}  // namespace herald::cli
