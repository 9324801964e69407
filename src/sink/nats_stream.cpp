#include "sink/nats_stream.hpp"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <optional>

#include <fmt/format.h>

#include "sink/nats_handles.hpp"
#include "sink/nats_subjects.hpp"

namespace herald::sink::nats {

namespace {

constexpr std::int64_t kNanosPerSecond = 1'000'000'000;

struct ApiFailure {
  natsStatus status = NATS_OK;
  jsErrCode code = static_cast<jsErrCode>(0);
};

std::vector<const char*> c_strings(const std::vector<std::string>& strings) {
  std::vector<const char*> out;
  out.reserve(strings.size());
  for (const auto& s : strings) out.push_back(s.c_str());
  return out;
}

bool jetstream_missing(const ApiFailure& failure) {
  return failure.status == NATS_NO_RESPONDERS || failure.status == NATS_TIMEOUT ||
         failure.code == JSNotEnabledErr || failure.code == JSNotEnabledForAccountErr;
}

Error api_error(const std::string& stream, const char* action, const ApiFailure& failure) {
  if (jetstream_missing(failure)) {
    return make_error(fmt::format(
        "JetStream is not available on this NATS server ({} stream '{}': {}); start nats-server "
        "with JetStream enabled (-js) or set [observers] jetstream = false",
        action, stream, status_text(failure.status)));
  }
  const std::string code =
      failure.code == 0 ? std::string() : fmt::format(" (JetStream error {})", int{failure.code});
  return make_error(fmt::format("cannot {} JetStream stream '{}': {}{}", action, stream,
                                status_text(failure.status), code));
}

// After "subjects overlap with an existing stream": which other stream owns which subject.
std::optional<std::string> describe_overlap(jsCtx* js, const StreamRequirements& requirements) {
  jsStreamInfoList* raw = nullptr;
  jsErrCode code = static_cast<jsErrCode>(0);
  if (js_Streams(&raw, js, nullptr, &code) != NATS_OK) return std::nullopt;
  const StreamInfoListPtr list(raw);
  for (int i = 0; i < list->Count; ++i) {
    const jsStreamConfig* other = list->List[i]->Config;
    if (other == nullptr || requirements.name == other->Name) continue;
    for (int j = 0; j < other->SubjectsLen; ++j) {
      const std::string_view owned = other->Subjects[j];
      for (const auto& wanted : requirements.subjects) {
        if (!subjects_overlap(owned, wanted)) continue;
        const std::string via =
            owned == wanted ? std::string() : fmt::format(" (through its subject '{}')", owned);
        return fmt::format(
            "subject '{}' is already owned by JetStream stream '{}'{}, so stream '{}' cannot "
            "cover it: remove it from stream '{}' or publish on another subject",
            wanted, other->Name, via, requirements.name, other->Name);
      }
    }
  }
  return std::nullopt;
}

Error overlap_error(jsCtx* js, const StreamRequirements& requirements, const char* action,
                    const ApiFailure& failure) {
  if (auto described = describe_overlap(js, requirements)) return make_error(*described);
  return api_error(requirements.name, action, failure);
}

Result<StreamAction> create_stream(jsCtx* js, const StreamRequirements& requirements) {
  const std::vector<std::string> subjects = minimal_subjects(requirements.subjects);
  std::vector<const char*> subject_ptrs = c_strings(subjects);
  jsStreamConfig config;
  jsStreamConfig_Init(&config);
  config.Name = requirements.name.c_str();
  config.Subjects = subject_ptrs.data();
  config.SubjectsLen = static_cast<int>(subject_ptrs.size());
  config.Storage = js_FileStorage;
  config.Duplicates = requirements.duplicate_window.count() * kNanosPerSecond;
  jsStreamInfo* raw = nullptr;
  ApiFailure failure;
  failure.status = js_AddStream(&raw, js, &config, nullptr, &failure.code);
  const StreamInfoPtr created(raw);
  if (failure.status == NATS_OK) return StreamAction::Created;
  if (failure.code == JSStreamSubjectOverlapErr) {
    return overlap_error(js, requirements, "create", failure);
  }
  return api_error(requirements.name, "create", failure);
}

Result<StreamAction> update_stream(jsCtx* js, const StreamRequirements& requirements,
                                   const jsStreamConfig& current) {
  std::vector<std::string> subjects(current.Subjects, current.Subjects + current.SubjectsLen);
  const std::size_t existing = subjects.size();
  for (const auto& wanted : minimal_subjects(requirements.subjects)) {
    const bool covered =
        std::any_of(subjects.begin(), subjects.begin() + static_cast<std::ptrdiff_t>(existing),
                    [&](const std::string& s) { return subject_covers(s, wanted); });
    if (!covered) subjects.push_back(wanted);
  }
  const std::int64_t window = requirements.duplicate_window.count() * kNanosPerSecond;
  const bool widen_window = current.Duplicates < window;
  if (subjects.size() == existing && !widen_window) return StreamAction::Unchanged;

  // Everything else stays as the operator configured it.
  jsStreamConfig config = current;
  std::vector<const char*> subject_ptrs = c_strings(subjects);
  config.Subjects = subject_ptrs.data();
  config.SubjectsLen = static_cast<int>(subject_ptrs.size());
  if (widen_window) config.Duplicates = window;
  jsStreamInfo* raw = nullptr;
  ApiFailure failure;
  failure.status = js_UpdateStream(&raw, js, &config, nullptr, &failure.code);
  const StreamInfoPtr updated(raw);
  if (failure.status == NATS_OK) return StreamAction::Updated;
  if (failure.code == JSStreamSubjectOverlapErr) {
    return overlap_error(js, requirements, "update", failure);
  }
  return api_error(requirements.name, "update", failure);
}

}  // namespace

Result<StreamAction> ensure_stream(jsCtx* js, const StreamRequirements& requirements) {
  if (requirements.subjects.empty()) {
    return make_error(
        fmt::format("JetStream stream '{}' needs at least one subject", requirements.name));
  }
  jsStreamInfo* raw = nullptr;
  ApiFailure failure;
  failure.status = js_GetStreamInfo(&raw, js, requirements.name.c_str(), nullptr, &failure.code);
  const StreamInfoPtr info(raw);
  if (failure.status == NATS_OK && info && info->Config != nullptr) {
    return update_stream(js, requirements, *info->Config);
  }
  if (failure.code == JSStreamNotFoundErr || failure.status == NATS_NOT_FOUND) {
    return create_stream(js, requirements);
  }
  return api_error(requirements.name, "look up", failure);
}

}  // namespace herald::sink::nats
