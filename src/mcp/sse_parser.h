// Server-Sent Events, parsed as the bytes arrive: an event may be split
// across any number of chunks, a chunk may hold many events. Follows the
// WHATWG event-stream rules: CRLF, LF or CR line ends, ':' comments, "data"
// lines joined with '\n', an event dispatched at a blank line only when it
// has data (MCP servers send a data-less "priming" event with just an id).
#pragma once

#include <functional>
#include <string>
#include <string_view>

namespace ccmcp::mcp {

struct SseEvent {
  std::string type = "message";  // the "event" field
  std::string data;
  std::string id;  // the last event id seen on the stream so far
};

class SseParser {
 public:
  // Called for each complete event; returning false stops parsing (the
  // rest of the chunk is dropped and feed returns false).
  using EventHandler = std::function<bool(const SseEvent& event)>;

  explicit SseParser(EventHandler on_event) : on_event_(std::move(on_event)) {}

  // Feeds the next bytes; false once the handler asked to stop.
  bool feed(std::string_view chunk);

  // The retry interval the server asked for (ms), 0 when none.
  long retry_ms() const { return retry_ms_; }
  const std::string& last_event_id() const { return event_.id; }

 private:
  bool line(std::string_view text);

  EventHandler on_event_;
  std::string pending_;   // an incomplete line
  bool skip_lf_ = false;  // the last chunk ended in CR: a following LF belongs to it
  bool started_ = false;  // past a leading byte order mark
  bool has_data_ = false;
  bool stopped_ = false;
  SseEvent event_;
  long retry_ms_ = 0;
};

}  // namespace ccmcp::mcp
