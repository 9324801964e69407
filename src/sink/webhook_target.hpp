#pragma once
// The webhook URL as the sink may show it. The URL may come from an environment variable
// (`url_env`) and carry a token in its path or query, or credentials before the host: it
// is treated as a secret. Logs, errors and describe() name only scheme://host[:port].

#include <string>
#include <vector>

#include "common/result.hpp"

namespace herald::sink::webhook {

struct Target {
  std::string url;     // what libcurl gets; never printed
  std::string origin;  // scheme://host[:port], safe to print
  // Parts of the URL that must not appear in text the sink emits (the whole URL, its
  // path and query, its user and password), longest first.
  std::vector<std::string> hidden;
};

// Parses an http:// or https:// URL with a host. The error never repeats the URL.
Result<Target> parse_target(const std::string& url);

// `text` with every hidden part of the target replaced by "<hidden>": for libcurl's error
// texts, which may quote what they were given.
std::string scrub(std::string text, const Target& target);

}  // namespace herald::sink::webhook
