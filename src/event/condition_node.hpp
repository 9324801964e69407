#pragma once
// The parsed form of a condition, shared by the parser and the evaluator.

#include <nlohmann/json.hpp>

#include <memory>
#include <string>
#include <vector>

#include "event/condition.hpp"

namespace herald::event {

enum class CompareOp { Eq, Ne, Lt, Le, Gt, Ge };

struct Condition::Node {
  enum class Kind { Literal, Column, OldColumn, Changed, Not, And, Or, Compare, In };

  Kind kind = Kind::Literal;
  CompareOp op = CompareOp::Eq;      // Compare
  nlohmann::json literal;            // Literal
  std::string column;                // Column, OldColumn, Changed
  std::vector<nlohmann::json> list;  // In
  std::unique_ptr<Node> left;        // Not, And, Or, Compare, In
  std::unique_ptr<Node> right;       // And, Or, Compare
};

}  // namespace herald::event
