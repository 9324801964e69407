#include "capture/pg_time.hpp"

#include <fmt/format.h>

#include <charconv>
#include <iterator>
#include <limits>
#include <optional>

namespace herald::capture {
namespace {

constexpr std::int64_t kPgEpochUnixMicros = 946'684'800LL * 1'000'000LL;
constexpr std::int64_t kSecondsPerDay = 86'400;

struct Civil {
  std::int64_t year;
  unsigned month;
  unsigned day;
};

// Howard Hinnant's days_from_civil / civil_from_days, over int64 so no input overflows.
std::int64_t days_from_civil(Civil c) {
  const std::int64_t y = c.month <= 2 ? c.year - 1 : c.year;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const std::int64_t yoe = y - era * 400;
  const std::int64_t mp = (c.month + 9) % 12;
  const std::int64_t doy = (153 * mp + 2) / 5 + c.day - 1;
  const std::int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

Civil civil_from_days(std::int64_t z) {
  z += 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const std::int64_t doe = z - era * 146097;
  const std::int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const std::int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const std::int64_t mp = (5 * doy + 2) / 153;
  const auto day = static_cast<unsigned>(doy - (153 * mp + 2) / 5 + 1);
  const auto month = static_cast<unsigned>(mp < 10 ? mp + 3 : mp - 9);
  return Civil{yoe + era * 400 + (month <= 2 ? 1 : 0), month, day};
}

bool leap(std::int64_t y) {
  return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

unsigned days_in_month(std::int64_t year, unsigned month) {
  constexpr unsigned kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return month == 2 && leap(year) ? 29 : kDays[month - 1];
}

std::int64_t floor_div(std::int64_t a, std::int64_t b) {
  return a / b - ((a % b != 0) && ((a < 0) != (b < 0)) ? 1 : 0);
}

// A cursor over ISO timestamp text: "YYYY-MM-DD HH:MM:SS[.f...][+-HH[:MM[:SS]]]".
class IsoCursor {
 public:
  explicit IsoCursor(std::string_view text) : text_(text) {}

  bool at_end() const { return pos_ == text_.size(); }
  bool peek(char c) const { return pos_ < text_.size() && text_[pos_] == c; }
  bool take(char c) {
    if (!peek(c)) return false;
    ++pos_;
    return true;
  }
  // Exactly `min`..`max` digits as a number.
  std::optional<std::int64_t> number(std::size_t min, std::size_t max) {
    const std::size_t start = pos_;
    while (pos_ < text_.size() && pos_ - start < max && text_[pos_] >= '0' && text_[pos_] <= '9') {
      ++pos_;
    }
    if (pos_ - start < min) return std::nullopt;
    std::int64_t value = 0;
    std::from_chars(text_.data() + start, text_.data() + pos_, value);
    return value;
  }
  std::string_view digits() {
    const std::size_t start = pos_;
    while (pos_ < text_.size() && text_[pos_] >= '0' && text_[pos_] <= '9') ++pos_;
    return text_.substr(start, pos_ - start);
  }

 private:
  std::string_view text_;
  std::size_t pos_ = 0;
};

struct IsoTimestamp {
  Civil date;
  std::int64_t seconds_of_day;
  std::string_view fraction;  // digits after '.', possibly empty
  std::optional<std::int64_t> offset_seconds;
};

std::optional<IsoTimestamp> parse_iso(std::string_view text) {
  IsoCursor c(text);
  IsoTimestamp t{};
  // 9 digits of year is far beyond PostgreSQL's range and keeps the arithmetic small.
  auto year = c.number(4, 9);
  if (!year || !c.take('-')) return std::nullopt;
  auto month = c.number(2, 2);
  if (!month || !c.take('-')) return std::nullopt;
  auto day = c.number(2, 2);
  if (!day || !(c.take(' ') || c.take('T'))) return std::nullopt;
  auto hour = c.number(2, 2);
  if (!hour || !c.take(':')) return std::nullopt;
  auto minute = c.number(2, 2);
  if (!minute || !c.take(':')) return std::nullopt;
  auto second = c.number(2, 2);
  if (!second) return std::nullopt;
  if (*month < 1 || *month > 12 || *hour > 23 || *minute > 59 || *second > 59) return std::nullopt;
  t.date = Civil{*year, static_cast<unsigned>(*month), static_cast<unsigned>(*day)};
  if (*day < 1 || *day > days_in_month(*year, t.date.month)) return std::nullopt;
  t.seconds_of_day = *hour * 3600 + *minute * 60 + *second;
  if (c.take('.')) {
    t.fraction = c.digits();
    if (t.fraction.empty()) return std::nullopt;
  }
  if (c.peek('+') || c.peek('-')) {
    const std::int64_t sign = c.take('+') ? 1 : (c.take('-'), -1);
    auto oh = c.number(2, 2);
    if (!oh) return std::nullopt;
    std::int64_t offset = *oh * 3600;
    if (c.take(':')) {
      auto om = c.number(2, 2);
      if (!om) return std::nullopt;
      offset += *om * 60;
      if (c.take(':')) {
        auto os = c.number(2, 2);
        if (!os) return std::nullopt;
        offset += *os;
      }
    }
    t.offset_seconds = sign * offset;
  }
  if (!c.at_end()) return std::nullopt;
  return t;
}

// `value` as exactly `width` decimal digits at `out` (the caller keeps it in range).
void put_digits(char* out, std::int64_t value, int width) {
  for (int i = width - 1; i >= 0; --i) {
    out[i] = static_cast<char>('0' + value % 10);
    value /= 10;
  }
}

// "YYYY-MM-DDTHH:MM:SS". Written digit by digit: it runs for every event, and even a
// compiled format string cost ~1,700 instructions here.
// Appends "YYYY-MM-DDTHH:MM:SS". The callers reserve room for what they append after it:
// timestamps are formatted for every event, and a string that grows allocates twice.
void append_civil(std::string& out, Civil d, std::int64_t seconds_of_day) {
  if (d.year < 0 || d.year > 9999) {  // beyond what PostgreSQL's timestamps reach
    fmt::format_to(std::back_inserter(out), "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}", d.year, d.month,
                   d.day, seconds_of_day / 3600, seconds_of_day / 60 % 60, seconds_of_day % 60);
    return;
  }
  const std::size_t at = out.size();
  out += "0000-00-00T00:00:00";
  put_digits(&out[at], d.year, 4);
  put_digits(&out[at + 5], d.month, 2);
  put_digits(&out[at + 8], d.day, 2);
  put_digits(&out[at + 11], seconds_of_day / 3600, 2);
  put_digits(&out[at + 14], seconds_of_day / 60 % 60, 2);
  put_digits(&out[at + 17], seconds_of_day % 60, 2);
}

}  // namespace

CommitTime commit_time_from_pg(std::int64_t microseconds_since_2000) {
  std::int64_t unix_micros = 0;
  if (__builtin_add_overflow(microseconds_since_2000, kPgEpochUnixMicros, &unix_micros)) {
    unix_micros = std::numeric_limits<std::int64_t>::max();
  }
  return CommitTime(std::chrono::microseconds(unix_micros));
}

std::string format_rfc3339_utc(CommitTime time) {
  const std::int64_t micros = time.time_since_epoch().count();
  const std::int64_t seconds = floor_div(micros, 1'000'000);
  const std::int64_t fraction = micros - seconds * 1'000'000;
  const std::int64_t days = floor_div(seconds, kSecondsPerDay);
  std::string out;
  out.reserve(32);
  append_civil(out, civil_from_days(days), seconds - days * kSecondsPerDay);
  out += ".000000Z";
  put_digits(&out[out.size() - 7], fraction, 6);
  return out;
}

std::string timestamptz_to_rfc3339(std::string_view text) {
  const auto t = parse_iso(text);
  if (!t || !t->offset_seconds) return std::string(text);
  const std::int64_t local = days_from_civil(t->date) * kSecondsPerDay + t->seconds_of_day;
  const std::int64_t utc = local - *t->offset_seconds;
  const std::int64_t days = floor_div(utc, kSecondsPerDay);
  const Civil date = civil_from_days(days);
  if (date.year < 1 || date.year > 999'999) return std::string(text);
  std::string out;
  out.reserve(32 + t->fraction.size());
  append_civil(out, date, utc - days * kSecondsPerDay);
  if (!t->fraction.empty()) {
    out.push_back('.');
    out.append(t->fraction);
  }
  out.push_back('Z');
  return out;
}

std::string timestamp_to_iso(std::string_view text) {
  const auto t = parse_iso(text);
  if (!t || t->offset_seconds) return std::string(text);
  std::string out(text);
  out[text.find_first_of(" T")] = 'T';
  return out;
}

}  // namespace herald::capture
