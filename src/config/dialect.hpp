#pragma once
// The observers dialect: the guide writes `[observers]` (a table) and `[[observers]]`
// (the rules) in one file, which plain TOML forbids. Before parsing, herald rewrites
// only table-header lines into plain TOML:
//   [[observers]]            -> [[observers.rules]]
//   [[observers.actions]]    -> [[observers.rules.actions]]   (and every header under it)
// Line numbers never change; the column map turns positions on rewritten lines back
// into positions in the user's own text.

#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace herald::config {

// Where text was inserted on a rewritten line, so columns can be mapped back.
class ColumnMap {
 public:
  void record_insertion(int line, int column, int length);
  // `column` on `line` of the rewritten text -> the column in the original text.
  int original_column(int line, int column) const;

 private:
  struct Insertion {
    int column = 0;  // first column of the inserted text (1-based, in code points)
    int length = 0;
  };
  std::map<int, Insertion> insertions_;
};

struct DialectError {
  int line = 0;
  int column = 0;
  std::string message;
};

struct DialectResult {
  std::string text;  // plain TOML, same number of lines as the input
  ColumnMap columns;
  std::vector<DialectError> errors;
};

DialectResult rewrite_observers_dialect(std::string_view text);

}  // namespace herald::config
