#pragma once
// A ChangeVisitor that keeps everything it is shown, for assertions.

#include "capture/change.hpp"

#include <string>
#include <vector>

namespace herald::capture::testing {

class RecordingVisitor : public ChangeVisitor {
 public:
  void on_begin(const Begin& begin) override {
    begins.push_back(begin);
    log.push_back("begin");
  }
  void on_change(Change& change) override {
    changes.push_back(change);
    log.push_back("change");
  }
  void on_truncate(const Truncate& truncate) override {
    truncates.push_back(truncate);
    log.push_back("truncate");
  }
  void on_message(const LogicalMessage& message) override {
    messages.push_back(message);
    log.push_back("message");
  }
  void on_commit(const Commit& commit) override {
    commits.push_back(commit);
    log.push_back("commit");
  }
  void on_relation(const Relation& relation) override {
    relations.push_back(relation);
    log.push_back("relation");
  }

  std::vector<Begin> begins;
  std::vector<Change> changes;
  std::vector<Truncate> truncates;
  std::vector<LogicalMessage> messages;
  std::vector<Commit> commits;
  std::vector<Relation> relations;
  std::vector<std::string> log;
};

}  // namespace herald::capture::testing
