#include "docker/streams.h"

namespace ccmcp::docker {

void LogDemuxer::feed(std::string_view bytes) {
  if (raw_) {
    if (!bytes.empty()) sink_(LogStream::stdout_, bytes);
    return;
  }
  buffer_.append(bytes);
  size_t at = 0;
  while (buffer_.size() - at >= 8) {
    const auto* header = reinterpret_cast<const unsigned char*>(buffer_.data() + at);
    uint32_t length = (uint32_t{header[4]} << 24) | (uint32_t{header[5]} << 16) |
                      (uint32_t{header[6]} << 8) | uint32_t{header[7]};
    if (buffer_.size() - at - 8 < length) break;
    LogStream stream = header[0] == 2   ? LogStream::stderr_
                       : header[0] == 0 ? LogStream::stdin_
                                        : LogStream::stdout_;
    if (length > 0) sink_(stream, std::string_view(buffer_).substr(at + 8, length));
    at += 8 + length;
  }
  buffer_.erase(0, at);
}

void JsonLineStream::feed(std::string_view bytes) {
  buffer_.append(bytes);
  size_t start = 0;
  for (size_t newline; (newline = buffer_.find('\n', start)) != std::string::npos;
       start = newline + 1)
    emit(std::string_view(buffer_).substr(start, newline - start));
  buffer_.erase(0, start);
}

void JsonLineStream::finish() {
  if (!buffer_.empty()) emit(buffer_);
  buffer_.clear();
}

void JsonLineStream::emit(std::string_view line) {
  while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.remove_suffix(1);
  if (line.empty()) return;
  nlohmann::json message = nlohmann::json::parse(line, nullptr, false);
  // A line that is not JSON is passed on as a plain stream line.
  if (message.is_discarded()) message = {{"stream", std::string(line) + "\n"}};
  sink_(message);
}

}  // namespace ccmcp::docker
