#include "bridge/line_framer.h"

namespace ccmcp::bridge {
namespace {

// A buffer that once held a huge message is given back rather than kept for
// the life of the child; ordinary messages reuse their capacity.
constexpr size_t kKeepCapacity = 1 << 20;

}  // namespace

bool LineFramer::is_blank(std::string_view line) {
  // JSON's whitespace; a message line starts with '{' or '[', so this stops
  // at the first byte of every real message.
  for (char c : line)
    if (c != ' ' && c != '\t' && c != '\r') return false;
  return true;
}

void LineFramer::hold(std::string_view piece) {
  if (dropping_) {
    dropped_ += piece.size();
  } else if (pending_.size() + piece.size() > max_line_bytes_) {
    dropping_ = true;
    dropped_ = pending_.size() + piece.size();
    release();
  } else {
    pending_.append(piece);
  }
}

void LineFramer::release() {
  if (pending_.capacity() > kKeepCapacity) {
    std::string().swap(pending_);
  } else {
    pending_.clear();
  }
}

}  // namespace ccmcp::bridge
