#pragma once
// The condition language of rules (SPEC section 2): an expression over the row that
// decides whether a change becomes an event.
//
//   status == 'paid' && total >= 100
//   old.status != status || changed(total)
//   region in ['eu', 'uk'] && !(archived == true)
//
// Parsed once at start; evaluated per change with no allocation beyond JSON lookups.

#include <nlohmann/json.hpp>

#include <memory>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "common/result.hpp"

namespace herald::event {

// A parse error at a 0-based character offset inside the condition text.
struct ConditionError {
  std::size_t offset = 0;
  std::string message;
};

// What a condition can see: the new row (the old row for DELETE), the old row when the
// table's replica identity provides it, and whether the change is an UPDATE.
struct RowView {
  const nlohmann::json* row = nullptr;  // object, or null when there is none
  const nlohmann::json* old = nullptr;  // object, or null when unknown
  bool is_update = false;
};

struct ColumnRef {
  std::string name;
  bool old = false;        // written `old.name`
  std::size_t offset = 0;  // where it is written, for "no such column" errors
};

class Condition {
 public:
  struct Node;

  // Parses `text`; on failure returns where and why.
  static std::variant<Condition, ConditionError> parse(std::string_view text);

  bool matches(const RowView& view) const;

  // Every column the expression reads (including those inside changed(...)), so that
  // herald can check them against the table at start.
  const std::vector<ColumnRef>& columns() const { return columns_; }
  // True when the expression reads the old row (old.x or changed(x)): the table then
  // needs REPLICA IDENTITY FULL.
  bool reads_old_row() const;

  const std::string& text() const { return text_; }

  Condition(Condition&&) noexcept;
  Condition& operator=(Condition&&) noexcept;
  ~Condition();

 private:
  Condition(std::string text, std::unique_ptr<Node> root, std::vector<ColumnRef> columns);

  std::string text_;
  std::unique_ptr<Node> root_;
  std::vector<ColumnRef> columns_;
};

}  // namespace herald::event
