#pragma once
// nlohmann::json throws at dump() time on invalid UTF-8. A database in SQL_ASCII (or a
// damaged message) can hand us any bytes, so every string that enters a Change is made
// valid here: each invalid byte becomes U+FFFD, as json's error_handler_t::replace would.

#include <string>
#include <string_view>

namespace herald::capture {

bool is_valid_utf8(std::string_view text);

// `text` itself when it is valid UTF-8, otherwise a copy with U+FFFD for each bad byte.
std::string valid_utf8(std::string_view text);

}  // namespace herald::capture
