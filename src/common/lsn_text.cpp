#include "common/lsn_text.hpp"

#include <fmt/compile.h>
#include <fmt/format.h>

namespace herald {
namespace {

std::optional<std::uint32_t> parse_half(std::string_view hex) {
  if (hex.empty() || hex.size() > 8) return std::nullopt;
  std::uint32_t value = 0;
  for (char c : hex) {
    std::uint32_t digit = 0;
    if (c >= '0' && c <= '9') {
      digit = static_cast<std::uint32_t>(c - '0');
    } else if (c >= 'a' && c <= 'f') {
      digit = static_cast<std::uint32_t>(c - 'a' + 10);
    } else if (c >= 'A' && c <= 'F') {
      digit = static_cast<std::uint32_t>(c - 'A' + 10);
    } else {
      return std::nullopt;
    }
    value = (value << 4) | digit;
  }
  return value;
}

}  // namespace

std::string format_lsn(std::uint64_t lsn) {
  return fmt::format(FMT_COMPILE("{:X}/{:X}"), static_cast<std::uint32_t>(lsn >> 32),
                     static_cast<std::uint32_t>(lsn));
}

std::optional<std::uint64_t> parse_lsn(std::string_view text) {
  const auto slash = text.find('/');
  if (slash == std::string_view::npos) return std::nullopt;
  const auto high = parse_half(text.substr(0, slash));
  const auto low = parse_half(text.substr(slash + 1));
  if (!high || !low) return std::nullopt;
  return (static_cast<std::uint64_t>(*high) << 32) | *low;
}

}  // namespace herald
