// Recursive descent over the grammar (lowest precedence first):
//   or      := and ('||' and)*
//   and     := unary ('&&' unary)*
//   unary   := '!' unary | compare
//   compare := primary (('=='|'!='|'<'|'<='|'>'|'>=') primary | 'in' list)?
//   primary := literal | column | 'old.' column | 'new.' column
//            | 'changed' '(' column ')' | '(' or ')'
//   literal := number | 'string' | true | false | null
//   list    := '[' (literal (',' literal)*)? ']'
// A column is an identifier or a "double-quoted" name.

#include <fmt/format.h>

#include <cctype>
#include <charconv>

#include "event/condition_node.hpp"

namespace herald::event {
namespace {

using Node = Condition::Node;
using json = nlohmann::json;

constexpr int kMaxDepth = 64;

class Failure {
 public:
  ConditionError error;
};

class Parser {
 public:
  explicit Parser(std::string_view text) : text_(text) {}

  std::unique_ptr<Node> parse_all() {
    skip_space();
    if (at_end()) fail(0, "the condition is empty");
    auto root = parse_or();
    skip_space();
    if (!at_end())
      fail(pos_, fmt::format("unexpected {} after a complete expression", describe_here()));
    return root;
  }

  std::vector<ColumnRef> take_columns() { return std::move(columns_); }

 private:
  [[noreturn]] void fail(std::size_t offset, std::string message) {
    throw Failure{ConditionError{offset, std::move(message)}};
  }

  bool at_end() const { return pos_ >= text_.size(); }
  char peek(std::size_t ahead = 0) const {
    return pos_ + ahead < text_.size() ? text_[pos_ + ahead] : '\0';
  }

  void skip_space() {
    while (!at_end() && std::isspace(static_cast<unsigned char>(peek())) != 0) ++pos_;
  }

  bool consume(std::string_view token) {
    skip_space();
    if (text_.substr(pos_, token.size()) != token) return false;
    pos_ += token.size();
    return true;
  }

  static bool ident_start(char c) {
    return std::isalpha(static_cast<unsigned char>(c)) != 0 || c == '_';
  }
  static bool ident_char(char c) {
    return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_';
  }

  std::string_view peek_word() const {
    std::size_t end = pos_;
    while (end < text_.size() && ident_char(text_[end])) ++end;
    return text_.substr(pos_, end - pos_);
  }

  std::string describe_here() const {
    if (at_end()) return "end of condition";
    if (ident_start(peek())) return fmt::format("'{}'", peek_word());
    if (peek() == '\'') return "string";
    return fmt::format("'{}'", peek());
  }

  void enter() {
    if (++depth_ > kMaxDepth)
      fail(pos_, fmt::format("the condition nests deeper than {} levels", kMaxDepth));
  }

  std::unique_ptr<Node> binary(Node::Kind kind, std::unique_ptr<Node> l, std::unique_ptr<Node> r) {
    auto n = std::make_unique<Node>();
    n->kind = kind;
    n->left = std::move(l);
    n->right = std::move(r);
    return n;
  }

  std::unique_ptr<Node> parse_or() {
    auto left = parse_and();
    while (true) {
      skip_space();
      if (consume("||")) {
        left = binary(Node::Kind::Or, std::move(left), parse_and());
      } else if (peek_word() == "or") {
        fail(pos_, "'or' is not an operator here; write '||'");
      } else {
        return left;
      }
    }
  }

  std::unique_ptr<Node> parse_and() {
    auto left = parse_unary();
    while (true) {
      skip_space();
      if (consume("&&")) {
        left = binary(Node::Kind::And, std::move(left), parse_unary());
      } else if (peek_word() == "and") {
        fail(pos_, "'and' is not an operator here; write '&&'");
      } else {
        return left;
      }
    }
  }

  std::unique_ptr<Node> parse_unary() {
    enter();
    skip_space();
    std::unique_ptr<Node> result;
    if (peek() == '!' && peek(1) != '=') {
      ++pos_;
      result = std::make_unique<Node>();
      result->kind = Node::Kind::Not;
      result->left = parse_unary();
    } else if (peek_word() == "not") {
      fail(pos_, "'not' is not an operator here; write '!'");
    } else {
      result = parse_compare();
    }
    --depth_;
    return result;
  }

  std::optional<CompareOp> comparison_operator() {
    skip_space();
    static constexpr std::pair<std::string_view, CompareOp> ops[] = {
        {"==", CompareOp::Eq}, {"!=", CompareOp::Ne}, {"<=", CompareOp::Le},
        {">=", CompareOp::Ge}, {"<", CompareOp::Lt},  {">", CompareOp::Gt}};
    for (const auto& [token, op] : ops) {
      if (consume(token)) return op;
    }
    if (peek() == '=') fail(pos_, "'=' is not an operator; write '==' to compare");
    return std::nullopt;
  }

  std::unique_ptr<Node> parse_compare() {
    auto left = parse_primary();
    skip_space();
    if (peek_word() == "in") {
      pos_ += 2;
      auto n = std::make_unique<Node>();
      n->kind = Node::Kind::In;
      n->left = std::move(left);
      n->list = parse_list();
      return n;
    }
    if (auto op = comparison_operator()) {
      auto n = binary(Node::Kind::Compare, std::move(left), parse_primary());
      n->op = *op;
      return n;
    }
    return left;
  }

  std::vector<json> parse_list() {
    skip_space();
    if (!consume("["))
      fail(pos_,
           fmt::format("expected '[' to start the list after 'in', found {}", describe_here()));
    std::vector<json> items;
    skip_space();
    if (consume("]")) return items;
    while (true) {
      skip_space();
      auto item = parse_literal();
      if (!item)
        fail(pos_, fmt::format("a list after 'in' holds literals only; found {}", describe_here()));
      items.push_back(std::move(*item));
      skip_space();
      if (consume("]")) return items;
      if (!consume(","))
        fail(pos_, fmt::format("expected ',' or ']' in the list, found {}", describe_here()));
    }
  }

  std::optional<json> parse_literal() {
    skip_space();
    char c = peek();
    if (c == '\'') return json(parse_string());
    if (std::isdigit(static_cast<unsigned char>(c)) != 0 ||
        ((c == '-' || c == '+') && std::isdigit(static_cast<unsigned char>(peek(1))) != 0)) {
      return parse_number();
    }
    std::string_view word = peek_word();
    if (word == "true" || word == "false") {
      pos_ += word.size();
      return json(word == "true");
    }
    if (word == "null") {
      pos_ += word.size();
      return json(nullptr);
    }
    return std::nullopt;
  }

  std::string parse_string() {
    std::size_t start = pos_++;
    std::string out;
    while (true) {
      if (at_end()) fail(start, "unterminated string: add the closing '");
      char c = text_[pos_++];
      if (c == '\\' && !at_end()) {
        out += text_[pos_++];
      } else if (c == '\'') {
        if (peek() != '\'') return out;
        out += '\'';  // '' is a quote inside the string, as in SQL
        ++pos_;
      } else {
        out += c;
      }
    }
  }

  json parse_number() {
    std::size_t start = pos_;
    if (peek() == '-' || peek() == '+') ++pos_;
    bool is_float = false;
    while (!at_end()) {
      char c = peek();
      if (std::isdigit(static_cast<unsigned char>(c)) != 0) {
        ++pos_;
      } else if (c == '.' || c == 'e' || c == 'E') {
        is_float = true;
        ++pos_;
        if ((c == 'e' || c == 'E') && (peek() == '-' || peek() == '+')) ++pos_;
      } else {
        break;
      }
    }
    if (ident_start(peek()))
      fail(pos_, fmt::format("a number cannot be followed by {}", describe_here()));
    std::string_view digits = text_.substr(start, pos_ - start);
    if (digits.front() == '+') digits.remove_prefix(1);
    if (!is_float) {
      std::int64_t v = 0;
      auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), v);
      if (ec == std::errc() && end == digits.data() + digits.size()) return json(v);
    }
    double d = 0;
    auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), d);
    if (ec != std::errc() || end != digits.data() + digits.size()) {
      fail(start, fmt::format("'{}' is not a number", text_.substr(start, pos_ - start)));
    }
    return json(d);
  }

  std::string parse_column_name() {
    skip_space();
    if (peek() == '"') {
      std::size_t start = pos_++;
      std::string name;
      while (true) {
        if (at_end()) fail(start, "unterminated quoted column name: add the closing \"");
        char c = text_[pos_++];
        if (c == '"') {
          if (peek() != '"') break;
          ++pos_;
        }
        name += c;
      }
      if (name.empty()) fail(start, "a quoted column name cannot be empty");
      return name;
    }
    if (!ident_start(peek()))
      fail(pos_, fmt::format("expected a column name, found {}", describe_here()));
    std::string name(peek_word());
    pos_ += name.size();
    return name;
  }

  std::unique_ptr<Node> column_node(Node::Kind kind, bool old) {
    skip_space();
    std::size_t at = pos_;
    auto n = std::make_unique<Node>();
    n->kind = kind;
    n->column = parse_column_name();
    columns_.push_back(ColumnRef{n->column, old, at});
    return n;
  }

  std::unique_ptr<Node> parse_primary() {
    skip_space();
    if (auto lit = parse_literal()) {
      auto n = std::make_unique<Node>();
      n->literal = std::move(*lit);
      return n;
    }
    if (consume("(")) {
      std::size_t open = pos_ - 1;
      enter();
      auto inner = parse_or();
      --depth_;
      if (!consume(")")) {
        fail(pos_, fmt::format("expected ')' to close the '(' at column {}, found {}", open + 1,
                               describe_here()));
      }
      return inner;
    }
    std::string_view word = peek_word();
    if ((word == "old" || word == "new") && peek(word.size()) == '.') {
      pos_ += word.size() + 1;
      return column_node(word == "old" ? Node::Kind::OldColumn : Node::Kind::Column, word == "old");
    }
    if (word == "changed") {
      std::size_t after = pos_ + word.size();
      while (after < text_.size() && std::isspace(static_cast<unsigned char>(text_[after])) != 0)
        ++after;
      if (after < text_.size() && text_[after] == '(') {
        pos_ = after + 1;
        auto n = column_node(Node::Kind::Changed, true);
        if (!consume(")"))
          fail(pos_, fmt::format("expected ')' after the column of changed(), found {}",
                                 describe_here()));
        return n;
      }
    }
    if (ident_start(peek()) || peek() == '"') return column_node(Node::Kind::Column, false);
    fail(pos_, fmt::format("expected a column, a literal or '(', found {}", describe_here()));
  }

  std::string_view text_;
  std::size_t pos_ = 0;
  int depth_ = 0;
  std::vector<ColumnRef> columns_;
};

}  // namespace

Condition::Condition(std::string text, std::unique_ptr<Node> root, std::vector<ColumnRef> columns)
    : text_(std::move(text)), root_(std::move(root)), columns_(std::move(columns)) {}
Condition::Condition(Condition&&) noexcept = default;
Condition& Condition::operator=(Condition&&) noexcept = default;
Condition::~Condition() = default;

std::variant<Condition, ConditionError> Condition::parse(std::string_view text) {
  try {
    Parser parser(text);
    auto root = parser.parse_all();
    return Condition(std::string(text), std::move(root), parser.take_columns());
  } catch (const Failure& f) {
    return f.error;
  }
}

bool Condition::reads_old_row() const {
  for (const auto& c : columns_) {
    if (c.old) return true;
  }
  return false;
}

}  // namespace herald::event
