// One running MCP server child as the router sees it: messages out through
// a buffered stdin, lines in through the framer.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "bridge/child_process.h"
#include "bridge/event_loop.h"
#include "bridge/line_framer.h"

namespace ccmcp::bridge {

using Json = nlohmann::ordered_json;

class Upstream {
 public:
  using LineHandler = std::function<void(Upstream&, std::string_view line)>;

  // Starts the child and watches its stdout. Throws std::runtime_error.
  Upstream(EventLoop& loop, const std::vector<std::string>& command, LineHandler on_line);
  ~Upstream();

  // Queues one message (a line) for the child's stdin. False when the child
  // is gone or its input is backed up past the limit.
  bool send(const std::string& message);
  size_t buffered_input() const { return input_.size() - input_offset_; }

  // Backpressure: stop reading the child's stdout while a client is not
  // reading what it already wrote; its pipe fills and it waits.
  void pause_output();
  void resume_output();
  bool output_paused() const { return paused_; }

  pid_t pid() const { return process_.pid(); }
  bool alive() const { return !process_.exited() && !stdin_closed_; }
  void terminate() { process_.terminate(); }
  void mark_exited(int status);
  int64_t started_ms() const { return started_ms_; }

  // Sessions served by this child (one, unless --shared).
  std::set<std::string> sessions;
  // --shared: the child is initialised once; later sessions get this copy.
  std::optional<Json> initialize_result;
  bool initialize_in_flight = false;
  bool initialized_notified = false;
  std::vector<uint64_t> waiting_initializes;  // pending ids answered from that result

 private:
  void on_stdout();
  void flush_input();
  void stop_watching();

  EventLoop& loop_;
  ChildProcess process_;
  LineHandler on_line_;
  LineFramer framer_;
  std::string input_;
  size_t input_offset_ = 0;
  bool watching_stdin_ = false;
  bool stdin_closed_ = false;
  bool stdout_closed_ = false;
  bool paused_ = false;
  int64_t started_ms_ = 0;
};

inline constexpr size_t kMaxChildInputBacklog = 64u << 20;

}  // namespace ccmcp::bridge
