#pragma once
// Bounds-checked reading of pgoutput's big-endian fields. The first failure sticks: later
// reads return zero values and the error keeps naming the message type and the byte
// offset where things went wrong, so callers check ok() before acting on what they read
// (certainly before looping over a count) instead of after every field.

#include "common/result.hpp"

#include <fmt/format.h>

#include <cstdint>
#include <string>
#include <string_view>

namespace herald::capture {

class ByteReader {
 public:
  ByteReader(std::string_view bytes, std::string_view message_name)
      : bytes_(bytes), message_name_(message_name) {}

  std::uint8_t u8(std::string_view what) { return static_cast<std::uint8_t>(unsigned_be(1, what)); }
  std::uint16_t u16(std::string_view what) {
    return static_cast<std::uint16_t>(unsigned_be(2, what));
  }
  std::uint32_t u32(std::string_view what) {
    return static_cast<std::uint32_t>(unsigned_be(4, what));
  }
  std::uint64_t u64(std::string_view what) { return unsigned_be(8, what); }
  std::int16_t i16(std::string_view what) { return static_cast<std::int16_t>(u16(what)); }
  std::int32_t i32(std::string_view what) { return static_cast<std::int32_t>(u32(what)); }
  std::int64_t i64(std::string_view what) { return static_cast<std::int64_t>(u64(what)); }

  // A NUL-terminated string (without its NUL).
  std::string_view cstring(std::string_view what) {
    if (!ok_) return {};
    const std::size_t nul = bytes_.find('\0', pos_);
    if (nul == std::string_view::npos) {
      fail(fmt::format("unterminated {} string", what));
      return {};
    }
    std::string_view value = bytes_.substr(pos_, nul - pos_);
    pos_ = nul + 1;
    return value;
  }

  std::string_view bytes(std::size_t count, std::string_view what) {
    if (!need(count, what)) return {};
    std::string_view value = bytes_.substr(pos_, count);
    pos_ += count;
    return value;
  }

  void expect_end() {
    if (ok_ && pos_ != bytes_.size()) {
      fail(fmt::format("{} unexpected trailing bytes", bytes_.size() - pos_));
    }
  }

  // Records a semantic error (bad count, unknown relation...) at the current offset.
  void fail(std::string problem) {
    if (!ok_) return;
    ok_ = false;
    error_ = fmt::format("pgoutput {} message: {} at byte {}", message_name_, problem, pos_);
  }

  bool ok() const { return ok_; }
  Error error() const { return Error{error_}; }
  std::size_t offset() const { return pos_; }
  std::size_t remaining() const { return bytes_.size() - pos_; }

 private:
  bool need(std::size_t count, std::string_view what) {
    if (!ok_) return false;
    if (count > remaining()) {
      fail(fmt::format("truncated: {} needs {} bytes, {} left,", what, count, remaining()));
      return false;
    }
    return true;
  }

  std::uint64_t unsigned_be(std::size_t width, std::string_view what) {
    if (!need(width, what)) return 0;
    std::uint64_t value = 0;
    for (std::size_t i = 0; i < width; ++i) {
      value = (value << 8) | static_cast<std::uint8_t>(bytes_[pos_ + i]);
    }
    pos_ += width;
    return value;
  }

  std::string_view bytes_;
  std::string_view message_name_;
  std::size_t pos_ = 0;
  bool ok_ = true;
  std::string error_;
};

}  // namespace herald::capture
