// [auth]'s HS256 JWT check: what it accepts and every way a token is refused.
#include <gtest/gtest.h>

#include "cli/jwt.hpp"
#include "cli/jwt_support.hpp"

namespace herald::cli {
namespace {

using herald::testing::base64url;
using herald::testing::make_jwt;
using namespace std::chrono;

const system_clock::time_point kNow = system_clock::time_point(seconds(1'800'000'000));
const std::string kSecret = "a secret of the test";

std::string refusal(const std::string& token) {
  auto claims = verify_hs256_jwt(token, kSecret, kNow);
  return claims ? std::string("accepted") : claims.error().message;
}

TEST(Jwt, AcceptsAValidTokenAndReturnsItsClaims) {
  auto claims =
      verify_hs256_jwt(make_jwt({{"sub", "ada"}, {"exp", 1'800'000'060}}, kSecret), kSecret, kNow);
  ASSERT_TRUE(claims) << claims.error().message;
  EXPECT_EQ((*claims)["sub"], "ada");
  EXPECT_TRUE(verify_hs256_jwt(make_jwt({{"sub", "bob"}}, kSecret), kSecret, kNow));
}

TEST(Jwt, RefusesAnotherSecretOrATamperedPayload) {
  EXPECT_EQ(refusal(make_jwt({{"sub", "ada"}}, "another secret")),
            "the token's signature does not match");
  std::string token = make_jwt({{"sub", "ada"}}, kSecret);
  const auto first = token.find('.');
  const auto second = token.find('.', first + 1);
  token.replace(first + 1, second - first - 1, base64url(R"({"sub":"admin"})"));
  EXPECT_EQ(refusal(token), "the token's signature does not match");
}

TEST(Jwt, RefusesOtherAlgorithmsAndUnsignedTokens) {
  EXPECT_EQ(refusal(make_jwt({{"sub", "ada"}}, kSecret, "HS512")),
            "the token is not signed with HS256");
  const std::string unsigned_token =
      base64url(R"({"alg":"none"})") + "." + base64url(R"({"sub":"ada"})") + ".";
  EXPECT_EQ(refusal(unsigned_token), "the token is not signed with HS256");
}

TEST(Jwt, EnforcesExpAndNbf) {
  EXPECT_EQ(refusal(make_jwt({{"exp", 1'800'000'000}}, kSecret)), "the token has expired");
  EXPECT_EQ(refusal(make_jwt({{"exp", "tomorrow"}}, kSecret)), "the token has expired");
  EXPECT_EQ(refusal(make_jwt({{"nbf", 1'800'000'001}}, kSecret)), "the token is not valid yet");
  EXPECT_EQ(refusal(make_jwt({{"nbf", 1'800'000'000}, {"exp", 1'800'000'001}}, kSecret)),
            "accepted");
}

TEST(Jwt, RefusesMalformedTokens) {
  EXPECT_EQ(refusal("abc"), "the token is not a JWT (header.payload.signature)");
  EXPECT_EQ(refusal("a.b.c.d"), "the token is not a JWT (header.payload.signature)");
  EXPECT_EQ(refusal("!!.e30.x"), "the token's header is not base64url JSON");
  const std::string header = base64url(R"({"alg":"HS256"})");
  EXPECT_EQ(refusal(header + ".e30.%%"), "the token's signature does not match");
}

TEST(Jwt, BearerTokenFromTheHeader) {
  EXPECT_EQ(bearer_token("Bearer abc.def.ghi"), "abc.def.ghi");
  EXPECT_EQ(bearer_token("bearer   abc "), "abc");
  EXPECT_EQ(bearer_token("Basic dXNlcjpwYXNz"), "");
  EXPECT_EQ(bearer_token("Bearer "), "");
  EXPECT_EQ(bearer_token(""), "");
}

}  // namespace
}  // namespace herald::cli
