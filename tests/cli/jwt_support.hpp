#pragma once
// Makes HS256 JWTs for the tests, independently of herald's verifier (OpenSSL's HMAC and
// EVP base64, turned into base64url).

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <array>
#include <string>

#include <nlohmann/json.hpp>

namespace herald::testing {

inline std::string base64url(const std::string& bytes) {
  std::string out(4 * ((bytes.size() + 2) / 3) + 1, '\0');
  const int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                reinterpret_cast<const unsigned char*>(bytes.data()),
                                static_cast<int>(bytes.size()));
  out.resize(static_cast<std::size_t>(n));
  while (!out.empty() && out.back() == '=') out.pop_back();
  for (char& c : out) {
    if (c == '+') c = '-';
    if (c == '/') c = '_';
  }
  return out;
}

inline std::string make_jwt(const nlohmann::json& claims, const std::string& secret,
                            const std::string& alg = "HS256") {
  const std::string head = base64url(nlohmann::json{{"alg", alg}, {"typ", "JWT"}}.dump()) + "." +
                           base64url(claims.dump());
  std::array<unsigned char, EVP_MAX_MD_SIZE> mac{};
  unsigned int size = 0;
  HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()),
       reinterpret_cast<const unsigned char*>(head.data()), head.size(), mac.data(), &size);
  return head + "." + base64url(std::string(reinterpret_cast<const char*>(mac.data()), size));
}

}  // namespace herald::testing
