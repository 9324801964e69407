// Evaluation follows what a user of SQL and JSON expects:
// - a missing column, or a column of a row that is not there (old.x on INSERT), is null;
// - == and != compare JSON values; numbers compare by value, and a string holding a
//   number (how exact numerics may travel) compares as that number against a number;
// - < <= > >= order numbers with numbers and strings with strings; any other pair,
//   null included, is false;
// - && || ! treat null, false, 0 and '' as false, everything else as true;
// - changed(x) is true on an UPDATE whose old row differs in x, or whose old row is
//   unknown (herald cannot prove it unchanged); false on INSERT and DELETE.

#include <charconv>
#include <optional>

#include "capture/exact_json.hpp"
#include "event/condition_node.hpp"

namespace herald::event {
namespace {

using Node = Condition::Node;
using json = nlohmann::json;

const json kNull = nullptr;
const json kTrue = true;
const json kFalse = false;

const json& column_of(const json* row, const std::string& name) {
  if (row == nullptr || !row->is_object()) return kNull;
  auto it = row->find(name);
  return it == row->end() ? kNull : *it;
}

std::optional<double> as_number(const json& v) {
  if (auto n = capture::number_as_double(v)) return n;  // native and exact numbers
  if (!v.is_string()) return std::nullopt;
  const auto& s = v.get_ref<const std::string&>();
  double d = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), d);
  if (ec != std::errc() || end != s.data() + s.size() || s.empty()) return std::nullopt;
  return d;
}

bool truthy(const json& v) {
  switch (v.type()) {
    case json::value_t::null:
      return false;
    case json::value_t::boolean:
      return v.get<bool>();
    case json::value_t::number_integer:
    case json::value_t::number_unsigned:
    case json::value_t::number_float:
      return v.get<double>() != 0.0;
    case json::value_t::string:
      return !v.get_ref<const std::string&>().empty();
    case json::value_t::binary:
      return capture::number_as_double(v).value_or(1.0) != 0.0;
    default:
      return true;
  }
}

bool is_number(const json& v) {
  return v.is_number() || capture::exact_number_text(v).has_value();
}

bool equal(const json& a, const json& b) {
  if (is_number(a) || is_number(b)) {
    auto x = as_number(a);
    auto y = as_number(b);
    if (x && y) return *x == *y;
  }
  return a == b;
}

// -1, 0, 1, or nullopt when the pair has no order.
std::optional<int> order(const json& a, const json& b) {
  if (a.is_string() && b.is_string()) {
    int c = a.get_ref<const std::string&>().compare(b.get_ref<const std::string&>());
    return (c > 0) - (c < 0);
  }
  if (is_number(a) || is_number(b)) {
    auto x = as_number(a);
    auto y = as_number(b);
    if (x && y) return (*x > *y) - (*x < *y);
  }
  return std::nullopt;
}

bool compare(CompareOp op, const json& a, const json& b) {
  switch (op) {
    case CompareOp::Eq:
      return equal(a, b);
    case CompareOp::Ne:
      return !equal(a, b);
    default:
      break;
  }
  auto o = order(a, b);
  if (!o) return false;
  switch (op) {
    case CompareOp::Lt:
      return *o < 0;
    case CompareOp::Le:
      return *o <= 0;
    case CompareOp::Gt:
      return *o > 0;
    case CompareOp::Ge:
      return *o >= 0;
    default:
      return false;
  }
}

const json& eval(const Node& n, const RowView& view) {
  auto boolean = [](bool b) -> const json& { return b ? kTrue : kFalse; };
  switch (n.kind) {
    case Node::Kind::Literal:
      return n.literal;
    case Node::Kind::Column:
      return column_of(view.row, n.column);
    case Node::Kind::OldColumn:
      return column_of(view.old, n.column);
    case Node::Kind::Changed: {
      if (!view.is_update) return kFalse;
      if (view.old == nullptr || !view.old->is_object() || !view.old->contains(n.column))
        return kTrue;
      return boolean(!(column_of(view.old, n.column) == column_of(view.row, n.column)));
    }
    case Node::Kind::Not:
      return boolean(!truthy(eval(*n.left, view)));
    case Node::Kind::And:
      return boolean(truthy(eval(*n.left, view)) && truthy(eval(*n.right, view)));
    case Node::Kind::Or:
      return boolean(truthy(eval(*n.left, view)) || truthy(eval(*n.right, view)));
    case Node::Kind::Compare:
      return boolean(compare(n.op, eval(*n.left, view), eval(*n.right, view)));
    case Node::Kind::In: {
      const json& v = eval(*n.left, view);
      for (const auto& item : n.list) {
        if (equal(v, item)) return kTrue;
      }
      return kFalse;
    }
  }
  return kNull;
}

}  // namespace

bool Condition::matches(const RowView& view) const {
  return truthy(eval(*root_, view));
}

}  // namespace herald::event
