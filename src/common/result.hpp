#pragma once
// One error policy for herald: expected failures are values. A function that can fail
// in normal operation returns Result<T>; the Error carries a message that already says
// what went wrong and where. Exceptions are kept for startup misconfiguration.
//
// Modules whose callers must tell failures apart carry a richer error in the same shape:
// pg::Result<T> (a pg::Error with the SQLSTATE; it passes on as a plain Result) and
// graphql::Parsed<T> (a SyntaxError with its location). All are BasicResult<T, E>.

#include <cassert>
#include <concepts>
#include <string>
#include <utility>
#include <variant>

namespace herald {

struct Error {
  std::string message;
};

// A T or an E.
template <typename T, typename E>
class [[nodiscard]] BasicResult {
 public:
  BasicResult(T value)
      : state_(std::in_place_index<0>, std::move(value)) {}  // NOLINT: implicit by design
  BasicResult(E error) : state_(std::in_place_index<1>, std::move(error)) {}  // NOLINT

  // A result with a richer error (one derived from E) passes on as this one; the error
  // keeps its message.
  template <typename Derived>
  requires(!std::same_as<Derived, E> && std::derived_from<Derived, E>)
      BasicResult(BasicResult<T, Derived>&& other)  // NOLINT: implicit by design
      : state_(other.ok() ? State(std::in_place_index<0>, std::move(other).value())
                          : State(std::in_place_index<1>, E(other.error()))) {}

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

  const E& error() const {
    assert(!ok());
    return std::get<1>(state_);
  }

 private:
  using State = std::variant<T, E>;
  State state_;
};

// Success that carries nothing.
template <typename E>
class [[nodiscard]] BasicResult<void, E> {
 public:
  BasicResult() = default;
  BasicResult(E error) : error_(std::move(error)), ok_(false) {}  // NOLINT: implicit by design

  template <typename Derived>
  requires(!std::same_as<Derived, E> && std::derived_from<Derived, E>)
      BasicResult(BasicResult<void, Derived>&& other)  // NOLINT: implicit by design
      : ok_(other.ok()) {
    if (!ok_) error_ = E(other.error());
  }

  bool ok() const { return ok_; }
  explicit operator bool() const { return ok_; }
  const E& error() const {
    assert(!ok_);
    return error_;
  }

 private:
  E error_;
  bool ok_ = true;
};

template <typename T>
using Result = BasicResult<T, Error>;

inline Error make_error(std::string message) {
  return Error{std::move(message)};
}

}  // namespace herald
