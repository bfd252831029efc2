#include "util/line_splitter.h"

namespace ccmcp {

bool LineSplitter::feed(std::string_view chunk,
                        const std::function<void(std::string_view line)>& on_line) {
  bool kept_all = true;
  while (!chunk.empty()) {
    size_t nl = chunk.find('\n');
    std::string_view piece = chunk.substr(0, nl);
    if (!dropping_) {
      if (buffer_.size() + piece.size() > max_line_) {
        buffer_.clear();
        dropping_ = true;
        kept_all = false;
      } else if (nl != std::string_view::npos) {
        if (buffer_.empty()) {
          on_line(piece);
        } else {
          buffer_.append(piece);
          std::string line = std::move(buffer_);
          buffer_.clear();
          on_line(line);
        }
      } else {
        buffer_.append(piece);
      }
    }
    if (nl == std::string_view::npos) break;
    dropping_ = false;  // the end of the line, kept or dropped
    chunk.remove_prefix(nl + 1);
  }
  return kept_all;
}

}  // namespace ccmcp
