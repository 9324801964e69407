#include "sink/completion_queue.hpp"

#include <sys/eventfd.h>
#include <unistd.h>

#include <cstdint>
#include <stdexcept>

namespace herald::sink {

CompletionQueue::CompletionQueue() : fd_(::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC)) {
  if (fd_ < 0) throw std::runtime_error("cannot create an eventfd for sink completions");
}

CompletionQueue::~CompletionQueue() {
  ::close(fd_);
}

// The eventfd is readable exactly while completions wait: push() signals it only when the
// queue becomes non-empty, drain() clears it only when it takes something, both under the
// lock. So a burst of completions costs one write and one read, and the dispatcher's
// drain on every turn of its loop costs no system call when nothing is waiting (before,
// every completion wrote and every drain read: two system calls per event).
void CompletionQueue::push(Completion completion) {
  std::lock_guard lock(mutex_);
  const bool was_empty = items_.empty();
  items_.push_back(std::move(completion));
  if (was_empty) {
    std::uint64_t one = 1;
    [[maybe_unused]] auto n = ::write(fd_, &one, sizeof one);
  }
}

void CompletionQueue::drain(std::vector<Completion>& out) {
  std::lock_guard lock(mutex_);
  if (items_.empty()) return;
  std::uint64_t count = 0;
  [[maybe_unused]] auto n = ::read(fd_, &count, sizeof count);
  if (out.empty()) {
    out.swap(items_);
  } else {
    for (auto& c : items_) out.push_back(std::move(c));
    items_.clear();
  }
}

}  // namespace herald::sink
