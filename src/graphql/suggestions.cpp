#include "graphql/suggestions.hpp"

#include <algorithm>
#include <cctype>
#include <optional>

namespace herald::graphql {

namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// Optimal string alignment distance with graphql-js's shortcuts: a case-only change
// costs 1; nullopt when the distance exceeds `threshold`.
std::optional<std::size_t> lexical_distance(std::string_view option, std::string_view input,
                                            std::size_t threshold) {
  if (option == input) return 0;
  const std::string a = lower(option);
  const std::string b = lower(input);
  if (a == b) return 1;
  const std::string& shorter = a.size() <= b.size() ? a : b;
  const std::string& longer = a.size() <= b.size() ? b : a;
  if (longer.size() - shorter.size() > threshold) return std::nullopt;
  const std::size_t rows = longer.size() + 1;
  const std::size_t cols = shorter.size() + 1;
  std::vector<std::vector<std::size_t>> d(rows, std::vector<std::size_t>(cols));
  for (std::size_t j = 0; j < cols; ++j) d[0][j] = j;
  for (std::size_t i = 1; i < rows; ++i) {
    d[i][0] = i;
    std::size_t row_min = d[i][0];
    for (std::size_t j = 1; j < cols; ++j) {
      const std::size_t cost = longer[i - 1] == shorter[j - 1] ? 0 : 1;
      std::size_t best = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
      if (i > 1 && j > 1 && longer[i - 1] == shorter[j - 2] && longer[i - 2] == shorter[j - 1]) {
        best = std::min(best, d[i - 2][j - 2] + 1);
      }
      d[i][j] = best;
      row_min = std::min(row_min, best);
    }
    if (row_min > threshold) return std::nullopt;
  }
  const std::size_t distance = d[rows - 1][cols - 1];
  if (distance > threshold) return std::nullopt;
  return distance;
}

}  // namespace

std::vector<std::string> suggestion_list(std::string_view input,
                                         const std::vector<std::string>& options) {
  const std::size_t threshold = input.size() * 4 / 10 + 1;
  std::vector<std::pair<std::size_t, std::string>> found;
  for (const auto& option : options) {
    if (auto distance = lexical_distance(option, input, threshold))
      found.push_back({*distance, option});
  }
  std::sort(found.begin(), found.end(), [](const auto& x, const auto& y) {
    if (x.first != y.first) return x.first < y.first;
    // localeCompare: case-insensitive first, then lowercase before uppercase.
    const std::string lx = lower(x.second);
    const std::string ly = lower(y.second);
    if (lx != ly) return lx < ly;
    return x.second > y.second;
  });
  std::vector<std::string> out;
  for (auto& f : found) out.push_back(std::move(f.second));
  return out;
}

std::string did_you_mean(const std::vector<std::string>& suggestions,
                         std::string_view sub_message) {
  if (suggestions.empty()) return {};
  std::string message = " Did you mean ";
  if (!sub_message.empty()) message += std::string(sub_message) + " ";
  const std::size_t n = std::min<std::size_t>(suggestions.size(), 5);
  for (std::size_t i = 0; i < n; ++i) {
    if (i > 0) message += n > 2 ? ", " : " ";
    if (i > 0 && i == n - 1) message += "or ";
    message += "\"" + suggestions[i] + "\"";
  }
  return message + "?";
}

}  // namespace herald::graphql
