#include "support/herald_binary.hpp"

#include <cstdlib>
#include <stdexcept>

#include <fmt/format.h>

namespace herald::testing {

std::filesystem::path herald_binary() {
  const char* configured = std::getenv("HERALD_BINARY");
  std::filesystem::path path;
  if (configured != nullptr && *configured != '\0') {
    path = configured;
  } else {
#ifdef HERALD_BINARY_PATH
    path = HERALD_BINARY_PATH;
#endif
  }
  if (path.empty() || !std::filesystem::exists(path)) {
    throw std::runtime_error(fmt::format(
        "the herald binary is not available ({}): build the `herald` target or set HERALD_BINARY",
        path.empty() ? "this build has no herald target" : path.string()));
  }
  return path;
}

}  // namespace herald::testing
