// The log of an external server: every line its bridge and server wrote,
// and the supervisor's own notes, each stamped with the time it was read:
//
//   2025-06-01T12:00:00.123Z cc-mcp-bridge: serving npx on http://127.0.0.1:20123/mcp
//
// The supervisor writes it (LogWriter, which keeps it under a size by
// moving the full file to NAME.log.1); `logs` reads it (tail, since,
// follow), with or without the stamps, as `docker logs` does.
#pragma once

#include <atomic>
#include <chrono>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "util/unique_fd.h"

namespace ccmcp::runtime {

using SystemTime = std::chrono::system_clock::time_point;

// "2025-06-01T12:00:00.123Z" (UTC, milliseconds), and back.
std::string format_timestamp(SystemTime time);
std::optional<SystemTime> parse_timestamp(std::string_view text);

struct LogLine {
  std::optional<SystemTime> time;  // none for a line not written by the supervisor
  std::string text;

  // "TIME TEXT" when stamped and asked for, else TEXT.
  std::string format(bool with_time) const;
};

LogLine parse_log_line(std::string_view line);

class LogWriter {
 public:
  // Opens (creates, appends to) `path`, mode 0600.
  LogWriter(std::filesystem::path path, uint64_t max_bytes = 10ull << 20);

  // Writes one stamped line; a line holding newlines becomes several.
  void line(std::string_view text);
  const std::filesystem::path& path() const { return path_; }

 private:
  void open();
  void rotate_if_full();

  std::filesystem::path path_;
  uint64_t max_bytes_;
  uint64_t size_ = 0;
  UniqueFd fd_;
};

struct LogQuery {
  size_t tail = 0;                  // the last N lines; 0: all
  std::optional<SystemTime> since;  // lines stamped at or after this
};

// The lines of the log that the query selects; none when there is no log.
std::vector<LogLine> read_log(const std::filesystem::path& path, const LogQuery& query);

// Hands the selected lines to `on_line`, then every line added later, until
// `on_line` returns false or `stop` is set (checked a few times a second).
// Follows the log across a rotation.
void follow_log(const std::filesystem::path& path, const LogQuery& query,
                const std::function<bool(const LogLine&)>& on_line, const std::atomic<bool>* stop);

}  // namespace ccmcp::runtime
