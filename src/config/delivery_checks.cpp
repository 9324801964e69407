// Can everything the file asks for be delivered? A rule without actions goes to the
// backend; NATS needs nats_url, Redis needs redis_url, and a webhook backend has no
// URL of its own, so its rules need actions.
#include <fmt/format.h>

#include "config/observers_reader.hpp"

namespace herald::config {
namespace {

std::string rule_label(const Rule& rule) {
  return rule.name.empty() ? std::string("this rule") : fmt::format("rule \"{}\"", rule.name);
}

void check_rule(Diagnostics& diagnostics, const Observers& observers,
                const DeliveryTargets& targets, const Rule& rule) {
  if (rule.actions.empty() && targets.backend_known) {
    if (observers.backend == Backend::Nats && !targets.nats) {
      diagnostics.error(rule.pos, fmt::format("{} is delivered over NATS (backend \"nats\"), but "
                                              "[observers] has no 'nats_url'",
                                              rule_label(rule)));
    }
    if (observers.backend == Backend::Redis && !targets.redis) {
      diagnostics.error(rule.pos, fmt::format("{} is delivered to Redis (backend \"redis\"), but "
                                              "[observers] has no 'redis_url'",
                                              rule_label(rule)));
    }
    if (observers.backend == Backend::Webhook) {
      diagnostics.error(rule.pos,
                        fmt::format("{} has no actions, and backend \"webhook\" has no URL of its "
                                    "own; it needs an [[observers.actions]] with a url",
                                    rule_label(rule)));
    }
  }
  for (const Action& action : rule.actions) {
    if (action.type == ActionType::Nats && !targets.nats) {
      diagnostics.error(action.pos, "this nats action needs 'nats_url' in [observers]");
    }
    if (action.type == ActionType::Redis && !targets.redis) {
      diagnostics.error(action.pos, "this redis action needs 'redis_url' in [observers]");
    }
  }
}

void check_publish(Diagnostics& diagnostics, const Observers& observers,
                   const DeliveryTargets& targets, const Publish& publish) {
  if (!targets.backend_known) return;
  if (observers.backend == Backend::Nats && !targets.nats) {
    diagnostics.error(publish.pos,
                      "[[observers.publish]] entry is delivered over NATS (backend "
                      "\"nats\"), but [observers] has no 'nats_url'");
  }
  if (observers.backend == Backend::Redis && !targets.redis) {
    diagnostics.error(publish.pos,
                      "[[observers.publish]] entry is delivered to Redis (backend "
                      "\"redis\"), but [observers] has no 'redis_url'");
  }
  if (observers.backend == Backend::Webhook) {
    diagnostics.error(publish.pos,
                      "[[observers.publish]] entry is delivered with the backend, "
                      "and backend \"webhook\" has no URL of its own; use backend "
                      "\"nats\" or \"redis\"");
  }
}

}  // namespace

void check_delivery_targets(Diagnostics& diagnostics, const Observers& observers,
                            const DeliveryTargets& targets) {
  for (const Rule& rule : observers.rules) check_rule(diagnostics, observers, targets, rule);
  for (const Publish& publish : observers.publish)
    check_publish(diagnostics, observers, targets, publish);
  for (const Subscribe& subscribe : observers.subscribe) {
    if (!targets.nats) {
      diagnostics.error(subscribe.pos,
                        "[[observers.subscribe]] entry reads from NATS, but "
                        "[observers] has no 'nats_url'");
    }
  }
}

}  // namespace herald::config
