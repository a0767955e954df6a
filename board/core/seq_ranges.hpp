#pragma once
// A set of seqs kept as ranges [first, last]: an agent's stream is nearly always one
// range, so the board's memory per agent stays flat however long it runs.
#include <cstdint>
#include <iterator>
#include <map>

namespace prm::board {

class SeqRanges {
 public:
  // true when seq was not in the set before.
  bool insert(std::int64_t seq) {
    auto next = ranges_.upper_bound(seq);  // the first range starting after seq
    if (next != ranges_.begin()) {
      auto prev = std::prev(next);
      if (prev->second >= seq) return false;
      if (prev->second == seq - 1) {  // extends prev, perhaps up to next
        prev->second = seq;
        if (next != ranges_.end() && next->first == seq + 1) {
          prev->second = next->second;
          ranges_.erase(next);
        }
        ++count_;
        return true;
      }
    }
    if (next != ranges_.end() && next->first == seq + 1) {  // extends next downwards
      const auto last = next->second;
      ranges_.erase(next);
      ranges_.emplace(seq, last);
    } else {
      ranges_.emplace(seq, seq);
    }
    ++count_;
    return true;
  }
  bool empty() const { return ranges_.empty(); }
  std::int64_t first() const { return ranges_.begin()->first; }
  std::int64_t last() const { return ranges_.rbegin()->second; }
  std::int64_t size() const { return count_; }  // seqs in the set
  std::size_t ranges() const { return ranges_.size(); }

 private:
  std::map<std::int64_t, std::int64_t> ranges_;  // first -> last
  std::int64_t count_ = 0;
};

}  // namespace prm::board
