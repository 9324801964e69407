#pragma once
// JSON Web Tokens signed with HS256 ([auth] jwt_secret_env, SPEC section 1): what a
// GraphQL request's `Authorization: Bearer <token>` must carry when [auth] is set.
// Only HS256 is accepted (never "none" or another algorithm named by the token), the
// signature is compared in constant time, and `exp` / `nbf` are enforced when present.

#include <chrono>
#include <string_view>

#include <nlohmann/json.hpp>

#include "common/result.hpp"

namespace herald::cli {

// The token's claims when it is well formed, signed with `secret` and valid at `now`;
// otherwise why not (for logs and the 401's message: it never echoes the token).
Result<nlohmann::json> verify_hs256_jwt(std::string_view token, std::string_view secret,
                                        std::chrono::system_clock::time_point now);

// "Bearer <token>" -> the token; empty when the header is not a bearer credential.
std::string_view bearer_token(std::string_view authorization);

}  // namespace herald::cli
