#pragma once
// Owners for the nats.c handles the NATS sink holds: one unique_ptr alias per C type, its
// destroy function as the deleter, so no handle outlives its scope or leaks on an early
// exit. Also the one place that turns a natsStatus into text.

#include <nats/nats.h>

#include <cstddef>
#include <memory>
#include <string>
#include <vector>

namespace herald::sink::nats {

template <auto Destroy>
struct HandleDeleter {
  template <typename T>
  void operator()(T* handle) const noexcept {
    Destroy(handle);
  }
};

using OptionsPtr = std::unique_ptr<natsOptions, HandleDeleter<&natsOptions_Destroy>>;
using ConnectionPtr = std::unique_ptr<natsConnection, HandleDeleter<&natsConnection_Destroy>>;
using JetStreamPtr = std::unique_ptr<jsCtx, HandleDeleter<&jsCtx_Destroy>>;
using MsgPtr = std::unique_ptr<natsMsg, HandleDeleter<&natsMsg_Destroy>>;
using StreamInfoPtr = std::unique_ptr<jsStreamInfo, HandleDeleter<&jsStreamInfo_Destroy>>;
using StreamInfoListPtr =
    std::unique_ptr<jsStreamInfoList, HandleDeleter<&jsStreamInfoList_Destroy>>;
using SubscriptionPtr = std::unique_ptr<natsSubscription, HandleDeleter<&natsSubscription_Destroy>>;

// Messages done with, destroyed a few hundred at a time. natsMsg_Destroy hands a message
// to nats.c's collector thread, waking it when it sleeps, under a lock that thread takes
// too: destroyed as they came, messages cost a wake-up and a contended lock about every
// second event (measured at 5,000 events/s). Holding them costs a few hundred kB at most.
class SpentMsgs {
 public:
  explicit SpentMsgs(std::size_t limit = 256) : limit_(limit) {}
  void add(MsgPtr msg) {
    msgs_.push_back(std::move(msg));
    if (msgs_.size() >= limit_) release();
  }
  void release() { msgs_.clear(); }

 private:
  std::size_t limit_;
  std::vector<MsgPtr> msgs_;
};

// "Timeout (no JetStream answer)"-style text: the status name, plus nats.c's thread-local
// last error when it says more (it often names the cause, e.g. a server's description).
inline std::string status_text(natsStatus status) {
  std::string text = natsStatus_GetText(status);
  natsStatus last = NATS_OK;
  const char* detail = nats_GetLastError(&last);
  if (last == status && detail != nullptr && text != detail) {
    text += ": ";
    text += detail;
  }
  return text;
}

}  // namespace herald::sink::nats
