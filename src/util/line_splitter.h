// Splits a byte stream into lines as it arrives (JSON-RPC over stdio is one
// message a line). A line that grows past the limit is dropped whole: a
// peer that never ends its line must not eat all memory.
#pragma once

#include <functional>
#include <string>
#include <string_view>

namespace ccmcp {

class LineSplitter {
 public:
  explicit LineSplitter(size_t max_line = 64u << 20) : max_line_(max_line) {}

  // Hands each line completed by `chunk` to `on_line`, without its '\n'.
  // Returns false when a line was dropped for its length.
  bool feed(std::string_view chunk, const std::function<void(std::string_view line)>& on_line);

  // What came after the last '\n' (a last line without one, at the end).
  std::string_view rest() const { return dropping_ ? std::string_view() : buffer_; }

 private:
  size_t max_line_;
  std::string buffer_;
  bool dropping_ = false;  // inside an over-long line: skip to its end
};

}  // namespace ccmcp
