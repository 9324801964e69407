#include "sink/nats_subjects.hpp"

#include <algorithm>
#include <cstddef>

namespace herald::sink::nats {

namespace {

std::vector<std::string_view> tokens(std::string_view subject) {
  std::vector<std::string_view> out;
  std::size_t start = 0;
  while (true) {
    const std::size_t dot = subject.find('.', start);
    if (dot == std::string_view::npos) {
      out.push_back(subject.substr(start));
      return out;
    }
    out.push_back(subject.substr(start, dot - start));
    start = dot + 1;
  }
}

}  // namespace

bool subject_covers(std::string_view pattern, std::string_view subject) {
  const auto p = tokens(pattern);
  const auto s = tokens(subject);
  for (std::size_t i = 0; i < p.size(); ++i) {
    if (p[i] == ">") return i < s.size();  // needs at least one token left to match
    if (i >= s.size()) return false;
    if (s[i] == ">") return false;  // the subject reaches further than one token
    if (p[i] == "*") continue;
    if (p[i] != s[i]) return false;
  }
  return p.size() == s.size();
}

bool subjects_overlap(std::string_view first, std::string_view second) {
  const auto a = tokens(first);
  const auto b = tokens(second);
  for (std::size_t i = 0; i < a.size() && i < b.size(); ++i) {
    if (a[i] == ">" || b[i] == ">") return true;
    if (a[i] == "*" || b[i] == "*") continue;
    if (a[i] != b[i]) return false;
  }
  return a.size() == b.size();
}

std::vector<std::string> minimal_subjects(const std::vector<std::string>& subjects) {
  std::vector<std::string> out;
  for (std::size_t i = 0; i < subjects.size(); ++i) {
    const std::string& candidate = subjects[i];
    bool redundant = std::find(out.begin(), out.end(), candidate) != out.end();
    for (std::size_t j = 0; j < subjects.size() && !redundant; ++j) {
      // Equal subjects are handled above; a different one that covers this makes it moot.
      redundant = subjects[j] != candidate && subject_covers(subjects[j], candidate);
    }
    if (!redundant) out.push_back(candidate);
  }
  return out;
}

std::string redact_url(std::string_view url) {
  std::string out;
  std::size_t start = 0;
  while (start <= url.size()) {
    const std::size_t comma = std::min(url.find(',', start), url.size());
    std::string_view one = url.substr(start, comma - start);
    const std::size_t scheme = one.find("://");
    const std::size_t authority = scheme == std::string_view::npos ? 0 : scheme + 3;
    const std::size_t at = one.find('@', authority);
    if (!out.empty()) out += ',';
    if (at == std::string_view::npos) {
      out += one;
    } else {
      out += one.substr(0, authority);
      out += one.substr(at + 1);
    }
    start = comma + 1;
  }
  return out;
}

std::vector<std::string> server_urls(std::string_view url) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start <= url.size()) {
    const std::size_t comma = std::min(url.find(',', start), url.size());
    std::string_view one = url.substr(start, comma - start);
    while (!one.empty() && (one.front() == ' ' || one.front() == '\t')) one.remove_prefix(1);
    while (!one.empty() && (one.back() == ' ' || one.back() == '\t')) one.remove_suffix(1);
    if (!one.empty()) out.emplace_back(one);
    start = comma + 1;
  }
  return out;
}

}  // namespace herald::sink::nats
