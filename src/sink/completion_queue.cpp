#include "sink/completion_queue.hpp"

#include <sys/eventfd.h>
#include <unistd.h>

#include <cstdint>
#include <stdexcept>

namespace herald::sink {

CompletionQueue::CompletionQueue() : fd_(::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC)) {
  if (fd_ < 0) throw std::runtime_error("cannot create an eventfd for sink completions");
}

CompletionQueue::~CompletionQueue() { ::close(fd_); }

void CompletionQueue::push(Completion completion) {
  {
    std::lock_guard lock(mutex_);
    items_.push_back(std::move(completion));
  }
  std::uint64_t one = 1;
  // A full counter (never in practice) still leaves the fd readable, which is all we need.
  [[maybe_unused]] auto n = ::write(fd_, &one, sizeof one);
}

void CompletionQueue::drain(std::vector<Completion>& out) {
  std::uint64_t count = 0;
  [[maybe_unused]] auto n = ::read(fd_, &count, sizeof count);
  std::lock_guard lock(mutex_);
  if (out.empty()) {
    out.swap(items_);
  } else {
    for (auto& c : items_) out.push_back(std::move(c));
    items_.clear();
  }
}

}  // namespace herald::sink
