#include "dispatch/settle_tracker.hpp"

#include <algorithm>
#include <cassert>

namespace herald::dispatch {

SettleTracker::TxnSeq SettleTracker::open() {
  txns_.push_back(Txn{next_seq_, 0, false, 0});
  return next_seq_++;
}

SettleTracker::Txn& SettleTracker::find(TxnSeq seq) {
  // Sequences are consecutive and the deque holds a consecutive run of them.
  assert(!txns_.empty() && seq >= txns_.front().seq && seq - txns_.front().seq < txns_.size());
  return txns_[seq - txns_.front().seq];
}

void SettleTracker::add(TxnSeq txn) {
  ++find(txn).pending;
  ++pending_total_;
}

void SettleTracker::settle(TxnSeq txn) {
  Txn& t = find(txn);
  assert(t.pending > 0);
  --t.pending;
  --pending_total_;
  advance();
}

void SettleTracker::close(TxnSeq txn, capture::Lsn end_lsn) {
  Txn& t = find(txn);
  t.closed = true;
  t.end_lsn = end_lsn;
  advance();
}

void SettleTracker::idle_position(capture::Lsn lsn) {
  if (txns_.empty()) confirmable_ = std::max(confirmable_, lsn);
}

void SettleTracker::advance() {
  while (!txns_.empty() && txns_.front().closed && txns_.front().pending == 0) {
    confirmable_ = std::max(confirmable_, txns_.front().end_lsn);
    txns_.pop_front();
  }
}

}  // namespace herald::dispatch
