#pragma once
// A few threads that run blocking GraphQL execution (libpq) away from the I/O threads.
// Each worker owns one DataSource (one database connection), made on first use by the
// factory and made again after the factory failed. The queue is bounded: submit()
// refuses when full, and the caller answers 503.

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "common/result.hpp"
#include "graphql/data_source.hpp"

namespace herald::server {

using DataSourceFactory = std::function<Result<std::unique_ptr<graphql::DataSource>>()>;

class WorkerPool {
 public:
  // The task gets the worker's data source, or why there is none.
  using Task = std::function<void(Result<graphql::DataSource*>)>;

  WorkerPool(DataSourceFactory factory, std::size_t workers, std::size_t queue_limit);
  ~WorkerPool();  // stop()
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  bool submit(Task task);  // false: queue full or stopped
  // Runs the queued tasks' with an error ("shutting down"), finishes the running ones,
  // joins. Idempotent.
  void stop();

 private:
  void work();

  DataSourceFactory factory_;
  std::size_t queue_limit_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<Task> queue_;
  bool stopping_ = false;
  std::vector<std::thread> threads_;
};

}  // namespace herald::server
