#include "server/worker_pool.hpp"

namespace herald::server {

WorkerPool::WorkerPool(DataSourceFactory factory, std::size_t workers, std::size_t queue_limit)
    : factory_(std::move(factory)), queue_limit_(queue_limit) {
  for (std::size_t i = 0; i < (workers == 0 ? 1 : workers); ++i) {
    threads_.emplace_back([this] { work(); });
  }
}

WorkerPool::~WorkerPool() {
  stop();
}

bool WorkerPool::submit(Task task) {
  {
    std::lock_guard lock(mutex_);
    if (stopping_ || queue_.size() >= queue_limit_) return false;
    queue_.push_back(std::move(task));
  }
  wake_.notify_one();
  return true;
}

void WorkerPool::stop() {
  std::deque<Task> abandoned;
  {
    std::lock_guard lock(mutex_);
    if (stopping_ && threads_.empty()) return;
    stopping_ = true;
    abandoned.swap(queue_);
  }
  wake_.notify_all();
  for (auto& task : abandoned) task(Error{"the server is shutting down"});
  for (auto& thread : threads_) thread.join();
  threads_.clear();
}

void WorkerPool::work() {
  std::unique_ptr<graphql::DataSource> source;
  for (;;) {
    Task task;
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;  // stopping
      task = std::move(queue_.front());
      queue_.pop_front();
    }
    if (!source) {
      auto made = factory_();
      if (!made) {
        task(made.error());
        continue;
      }
      source = std::move(*made);
    }
    task(source.get());
  }
}

}  // namespace herald::server
