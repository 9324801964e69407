#include "capture/lsn.hpp"

#include <fmt/compile.h>
#include <fmt/format.h>

#include <charconv>

namespace herald::capture {

std::string format_lsn(Lsn lsn) {
  return fmt::format(FMT_COMPILE("{:X}/{:X}"), static_cast<std::uint32_t>(lsn >> 32),
                     static_cast<std::uint32_t>(lsn));
}

std::optional<Lsn> parse_lsn(std::string_view text) {
  const std::size_t slash = text.find('/');
  if (slash == std::string_view::npos || slash == 0 || slash + 1 == text.size()) {
    return std::nullopt;
  }
  std::uint32_t high = 0;
  std::uint32_t low = 0;
  const char* end = text.data() + slash;
  auto [high_end, high_ec] = std::from_chars(text.data(), end, high, 16);
  if (high_ec != std::errc{} || high_end != end) return std::nullopt;
  const char* last = text.data() + text.size();
  auto [low_end, low_ec] = std::from_chars(end + 1, last, low, 16);
  if (low_ec != std::errc{} || low_end != last) return std::nullopt;
  return (static_cast<Lsn>(high) << 32) | low;
}

}  // namespace herald::capture
