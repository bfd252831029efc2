#include "mcp/sse_parser.h"

#include <cctype>

namespace ccmcp::mcp {

bool SseParser::feed(std::string_view chunk) {
  if (stopped_) return false;
  size_t start = 0;
  for (size_t i = 0; i < chunk.size(); ++i) {
    char c = chunk[i];
    if (skip_lf_) {
      skip_lf_ = false;
      if (c == '\n') {
        start = i + 1;
        continue;
      }
    }
    if (c != '\n' && c != '\r') continue;
    std::string_view piece = chunk.substr(start, i - start);
    bool ok;
    if (pending_.empty()) {
      ok = line(piece);
    } else {
      pending_.append(piece);
      std::string whole = std::move(pending_);
      pending_.clear();
      ok = line(whole);
    }
    if (!ok) {
      stopped_ = true;
      return false;
    }
    if (c == '\r') skip_lf_ = true;
    start = i + 1;
  }
  pending_.append(chunk.substr(start));
  return true;
}

bool SseParser::line(std::string_view text) {
  if (!started_) {
    started_ = true;
    if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  }
  if (text.empty()) {
    // The end of an event: dispatch it when it carried data.
    bool keep_going = true;
    if (has_data_) {
      if (!event_.data.empty() && event_.data.back() == '\n') event_.data.pop_back();
      keep_going = on_event_(event_);
    }
    event_.type = "message";
    event_.data.clear();
    has_data_ = false;
    return keep_going;
  }
  if (text.front() == ':') return true;  // a comment (keep-alive)
  size_t colon = text.find(':');
  std::string_view field = text.substr(0, colon);
  std::string_view value;
  if (colon != std::string_view::npos) {
    value = text.substr(colon + 1);
    if (!value.empty() && value.front() == ' ') value.remove_prefix(1);
  }
  if (field == "data") {
    event_.data.append(value);
    event_.data.push_back('\n');
    has_data_ = true;
  } else if (field == "event") {
    event_.type = value.empty() ? "message" : std::string(value);
  } else if (field == "id") {
    if (value.find('\0') == std::string_view::npos) event_.id = std::string(value);
  } else if (field == "retry") {
    bool digits = !value.empty();
    for (char c : value) digits = digits && std::isdigit(static_cast<unsigned char>(c));
    if (digits && value.size() < 10) retry_ms_ = std::stol(std::string(value));
  }
  return true;
}

}  // namespace ccmcp::mcp
