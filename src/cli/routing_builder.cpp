#include "cli/routing_builder.hpp"

#include <fmt/format.h>

#include <set>

namespace herald::cli {
namespace {

using config::ActionType;
using config::Backend;

bool covered_by_prefix(const std::string& subject, const std::string& prefix) {
  return subject.size() > prefix.size() + 1 && subject.compare(0, prefix.size(), prefix) == 0 &&
         subject[prefix.size()] == '.';
}

const char* type_name(ActionType t) {
  switch (t) {
    case ActionType::Webhook:
      return "webhook";
    case ActionType::Nats:
      return "nats";
    case ActionType::Redis:
      return "redis";
  }
  return "?";
}

Result<dispatch::Target> backend_target(const config::Observers& obs, const Sinks& sinks,
                                        std::string rule_name) {
  if (obs.backend != Backend::Nats || sinks.nats == nullptr) {
    return Error{fmt::format("rule {}: the {} backend is not available in this version of herald",
                             rule_name, obs.backend == Backend::Redis ? "redis" : "webhook")};
  }
  dispatch::Target t;
  t.sink = sinks.nats;
  t.rule = std::move(rule_name);
  t.retry = obs.retry;
  return t;
}

}  // namespace

bool needs_nats(const config::Observers& obs) {
  const bool backend_nats = obs.backend == Backend::Nats;
  if (!obs.subscribe.empty() || (backend_nats && !obs.publish.empty())) return true;
  for (const auto& r : obs.rules) {
    if (r.actions.empty() && backend_nats) return true;
    for (const auto& a : r.actions) {
      if (a.type == ActionType::Nats) return true;
    }
  }
  return false;
}

std::vector<std::string> stream_subjects(const config::Observers& obs) {
  std::set<std::string> extra;
  auto add = [&](const std::optional<std::string>& s) {
    if (s && !s->empty() && !covered_by_prefix(*s, obs.subject_prefix)) extra.insert(*s);
  };
  for (const auto& r : obs.rules) {
    add(r.subject);
    for (const auto& a : r.actions) {
      if (a.type == ActionType::Nats) add(a.subject);
    }
  }
  for (const auto& p : obs.publish) add(p.subject);
  add(obs.dlq_subject);
  std::vector<std::string> out{obs.subject_prefix + ".>"};
  out.insert(out.end(), extra.begin(), extra.end());
  return out;
}

Result<dispatch::Routing> build_routing(const config::Observers& obs, const Sinks& sinks) {
  dispatch::Routing routing;
  for (const auto& rule : obs.rules) {
    std::vector<dispatch::Target> targets;
    if (rule.actions.empty()) {
      auto t = backend_target(obs, sinks, rule.name);
      if (!t) return t.error();
      targets.push_back(std::move(*t));
    }
    for (std::size_t i = 0; i < rule.actions.size(); ++i) {
      const config::Action& a = rule.actions[i];
      if (a.type != ActionType::Nats || sinks.nats == nullptr) {
        return Error{fmt::format("rule {}: {} actions are not available in this version of herald",
                                 rule.name, type_name(a.type))};
      }
      dispatch::Target t;
      t.sink = sinks.nats;
      t.rule = rule.name;
      t.action = static_cast<int>(i);
      t.destination = a.subject.value_or("");
      t.retry = a.retry;
      targets.push_back(std::move(t));
    }
    routing.rule_targets.push_back(std::move(targets));
  }
  for (const auto& p : obs.publish) {
    auto t = backend_target(obs, sinks, "publish:" + p.mutation);
    if (!t) return t.error();
    routing.publish_targets.push_back({std::move(*t)});
  }
  return routing;
}

}  // namespace herald::cli
