#pragma once
// pg::Result<T>: herald's Result with a PostgreSQL-aware error. Callers that only need
// the text read `error().message`, exactly as with herald::Result; callers that must
// tell failures apart (42883 undefined_function vs 55000, a lost connection vs a
// server error) read the SQLSTATE and the kind. Converts to herald::Result<T> so code
// above this module can pass it on unchanged.

#include <utility>
#include <variant>

#include "common/result.hpp"
#include "pg/error.hpp"

namespace herald::pg {

template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : state_(std::in_place_index<0>, std::move(value)) {}      // NOLINT: implicit
  Result(Error error) : state_(std::in_place_index<1>, std::move(error)) {}  // NOLINT

  bool ok() const { return state_.index() == 0; }
  explicit operator bool() const { return ok(); }

  T& value() & {
    assert(ok());
    return std::get<0>(state_);
  }
  const T& value() const& {
    assert(ok());
    return std::get<0>(state_);
  }
  T&& value() && {
    assert(ok());
    return std::get<0>(std::move(state_));
  }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

  const Error& error() const {
    assert(!ok());
    return std::get<1>(state_);
  }

  // Hands the outcome to code that speaks herald::Result (the SQLSTATE is dropped; the
  // message keeps everything a user needs).
  operator herald::Result<T>() && {  // NOLINT: implicit by design
    if (ok()) return herald::Result<T>(std::get<0>(std::move(state_)));
    return herald::Result<T>(herald::Error{std::get<1>(std::move(state_)).message});
  }

 private:
  std::variant<T, Error> state_;
};

template <>
class [[nodiscard]] Result<void> {
 public:
  Result() = default;
  Result(Error error) : error_(std::move(error)), ok_(false) {}  // NOLINT: implicit

  bool ok() const { return ok_; }
  explicit operator bool() const { return ok_; }
  const Error& error() const {
    assert(!ok_);
    return error_;
  }

  operator herald::Result<void>() && {  // NOLINT: implicit by design
    if (ok_) return {};
    return herald::Error{std::move(error_.message)};
  }

 private:
  Error error_;
  bool ok_ = true;
};

}  // namespace herald::pg
