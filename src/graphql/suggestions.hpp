#pragma once
// "Did you mean ...?" hints as graphql-js words them (suggestionList + didYouMean).

#include <string>
#include <string_view>
#include <vector>

namespace herald::graphql {

// Options close to `input` (lexical distance), best first.
std::vector<std::string> suggestion_list(std::string_view input,
                                         const std::vector<std::string>& options);

// "" or " Did you mean \"a\", \"b\", or \"c\"?" (at most 5). `sub_message` e.g.
// "the enum value" gives " Did you mean the enum value \"A\"?".
std::string did_you_mean(const std::vector<std::string>& suggestions,
                         std::string_view sub_message = {});

}  // namespace herald::graphql
