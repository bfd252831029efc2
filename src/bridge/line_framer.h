// Splits a child's stdout into newline-delimited JSON-RPC messages.
//
// The MCP stdio transport puts one message per line. The framer hands each
// line out as a string_view that is valid only during the callback: straight
// from the caller's buffer when the whole line is in it, so the common case
// copies nothing, and from an internal buffer only for a line that was split
// across reads. A runaway child cannot make the bridge buffer without bound: a
// line over the limit is dropped and the framer resynchronises at its end.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

namespace ccmcp::bridge {

class LineFramer {
 public:
  // The limit is on a line's bytes before its '\n' (a '\r' before it counts).
  explicit LineFramer(size_t max_line_bytes = 64 << 20) : max_line_bytes_(max_line_bytes) {}

  // Appends data and calls on_line(std::string_view) for each complete line,
  // without its '\n' and one trailing '\r'. Empty and whitespace-only lines are
  // skipped. A line over the limit is not buffered further: once its '\n'
  // arrives, on_overflow(size_t bytes_dropped) is called once with its length,
  // and framing resumes after it. Each byte of `data` is searched once.
  template <class OnLine, class OnOverflow>
  void feed(std::string_view data, OnLine&& on_line, OnOverflow&& on_overflow) {
    while (!data.empty()) {
      const auto* nl = static_cast<const char*>(std::memchr(data.data(), '\n', data.size()));
      const size_t take = nl ? static_cast<size_t>(nl - data.data()) : data.size();
      bytes_scanned_ += nl ? take + 1 : take;
      const std::string_view piece = data.substr(0, take);
      if (!nl) {
        hold(piece);
        return;
      }
      data.remove_prefix(take + 1);
      if (dropping_) {
        const size_t dropped = dropped_ + piece.size();
        dropping_ = false;
        dropped_ = 0;
        on_overflow(dropped);
      } else if (pending_.empty()) {
        if (piece.size() > max_line_bytes_) {
          on_overflow(piece.size());
        } else {
          emit(piece, on_line);
        }
      } else if (pending_.size() + piece.size() > max_line_bytes_) {
        const size_t dropped = pending_.size() + piece.size();
        release();
        on_overflow(dropped);
      } else {
        pending_.append(piece);
        emit(pending_, on_line);
        release();
      }
    }
  }

  // At end of input (the child closed stdout): a last line without its '\n'
  // is delivered as if it had one, so a server that forgets the final newline
  // still gets its message through.
  template <class OnLine, class OnOverflow>
  void finish(OnLine&& on_line, OnOverflow&& on_overflow) {
    feed(std::string_view("\n", 1), on_line, on_overflow);
  }

  // Bytes of an unfinished line held in memory (0 while dropping one).
  size_t buffered() const { return pending_.size(); }
  // Bytes of an unfinished, over-long line discarded so far.
  size_t dropping() const { return dropping_ ? dropped_ : 0; }
  // Bytes searched for '\n' so far: each input byte once, never the buffer.
  uint64_t bytes_scanned() const { return bytes_scanned_; }

 private:
  template <class OnLine>
  static void emit(std::string_view line, OnLine& on_line) {
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (!is_blank(line)) on_line(line);
  }

  static bool is_blank(std::string_view line);
  void hold(std::string_view piece);
  void release();

  size_t max_line_bytes_;
  std::string pending_;    // the start of a line split across feeds
  bool dropping_ = false;  // inside an over-long line, waiting for its '\n'
  size_t dropped_ = 0;
  uint64_t bytes_scanned_ = 0;
};

}  // namespace ccmcp::bridge
