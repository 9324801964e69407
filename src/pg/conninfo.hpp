#pragma once
// Connection strings: describing where one points (for error messages that must name
// host, port and database but never the password) and scrubbing passwords from libpq's
// own messages, which quote fragments of the string they failed to parse.

#include <string>
#include <string_view>
#include <vector>

namespace herald::pg {

// Every password a conninfo ("key=value ...") or URI ("postgresql://u:pw@h/db?password=")
// string carries, as written and, for URIs, percent-decoded.
std::vector<std::string> passwords_in_conninfo(std::string_view conninfo);

// `message` with every password found in `conninfo` replaced by "********".
std::string redact_passwords(std::string_view message, std::string_view conninfo);

}  // namespace herald::pg
