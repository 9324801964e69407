#pragma once
// A WAL position (XLogRecPtr): 64 bits, printed by PostgreSQL as two uppercase hex
// halves "HI/LO" without leading zeros ("0/1A2B3C4").

#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace herald::pg {

class Lsn {
 public:
  constexpr Lsn() = default;
  constexpr explicit Lsn(std::uint64_t value) : value_(value) {}

  // Accepts what PostgreSQL accepts for pg_lsn: 1-8 hex digits, '/', 1-8 hex digits,
  // either case. Anything else (spaces, signs, empty halves) is nullopt.
  static std::optional<Lsn> parse(std::string_view text);

  std::string to_string() const;  // "16/B374D848"
  constexpr std::uint64_t value() const { return value_; }
  constexpr bool is_zero() const { return value_ == 0; }

  // NOLINTNEXTLINE(modernize-use-nullptr): clang-tidy 14 misreads a defaulted <=>
  friend constexpr auto operator<=>(Lsn, Lsn) = default;

 private:
  std::uint64_t value_ = 0;
};

}  // namespace herald::pg
