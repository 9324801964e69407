#pragma once
// Decides how far the replication slot may be confirmed. The slot is herald's durable
// cursor: confirming an LSN tells PostgreSQL it may forget everything before it, so an
// LSN is confirmed only when every event of every transaction up to it is settled
// (delivered, durably queued for retry, or dead-lettered).
//
// Transactions arrive in commit order: open() at Begin, add()/settle() for each
// delivery, close() at Commit. Memory is one small entry per transaction that still has
// deliveries in flight; the dispatcher's in-flight window bounds that.

#include <cstdint>
#include <deque>
#include <optional>

#include "capture/lsn.hpp"

namespace herald::dispatch {

class SettleTracker {
 public:
  using TxnSeq = std::uint64_t;

  // `start` is where streaming began (the slot's confirmed position).
  explicit SettleTracker(capture::Lsn start = 0) : confirmable_(start) {}

  TxnSeq open();
  void add(TxnSeq txn);     // one more delivery in flight for txn
  void settle(TxnSeq txn);  // one delivery of txn settled
  // The transaction's Commit arrived; end_lsn is the LSN just past its commit record.
  void close(TxnSeq txn, capture::Lsn end_lsn);

  // The server reported (keepalive) that it has sent everything before `lsn`. Only
  // counts when nothing is open or in flight: then no unsettled event sits below it.
  void idle_position(capture::Lsn lsn);

  // The highest LSN that may be confirmed now.
  capture::Lsn confirmable() const { return confirmable_; }

  // Deliveries in flight over all transactions, and transactions not yet confirmable.
  std::uint64_t pending_deliveries() const { return pending_total_; }
  std::size_t open_transactions() const { return txns_.size(); }

 private:
  struct Txn {
    TxnSeq seq = 0;
    std::uint64_t pending = 0;
    bool closed = false;
    capture::Lsn end_lsn = 0;
  };
  Txn& find(TxnSeq seq);
  void advance();

  std::deque<Txn> txns_;
  TxnSeq next_seq_ = 1;
  capture::Lsn confirmable_ = 0;
  std::uint64_t pending_total_ = 0;
};

}  // namespace herald::dispatch
