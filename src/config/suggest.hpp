#pragma once
// "did you mean ...?" for misspelled keys and enum values.

#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace herald::config {

// Levenshtein distance (insert, delete, substitute), case-sensitive.
std::size_t edit_distance(std::string_view a, std::string_view b);

// The candidate closest to `word` when it is close enough to be a likely typo:
// at most 2 edits, and fewer edits than half the word's length (so "ab" does not
// suggest "url"), or when the word is the start of a candidate ("timeout" suggests
// "timeout_ms"). Ties go to the earlier candidate.
std::optional<std::string> closest_match(std::string_view word,
                                         std::span<const std::string_view> candidates);

}  // namespace herald::config
