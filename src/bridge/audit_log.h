// The audit file the bridge appends to: one line per audited call, written
// with one write(2) each (O_APPEND, so a line is never interleaved and is on
// disk's page cache once the call is answered), rotated by size into
// PATH.1 .. PATH.N. A write that fails (disk full, the volume gone) is
// counted and said once on stderr; it never fails or holds up a request.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "util/unique_fd.h"

namespace ccmcp::bridge {

struct AuditLogOptions {
  std::string path;                  // e.g. /var/log/cc-mcp/audit.jsonl
  uint64_t max_bytes = 10ull << 20;  // rotate before a line would pass this
  int keep = 3;                      // rotated files kept: PATH.1 (newest) .. PATH.keep
};

class AuditLog {
 public:
  // Opens (creates, mode 0644) the file. Throws std::runtime_error when it
  // cannot: a bridge asked to audit does not start without its file.
  explicit AuditLog(AuditLogOptions options);

  // Appends `line` and a newline. Never throws.
  void write(std::string_view line);

  uint64_t lines_written() const { return written_; }
  uint64_t lines_lost() const { return lost_; }
  const std::string& path() const { return options_.path; }

 private:
  bool open();
  void rotate();
  void lost(const char* what, int error);

  AuditLogOptions options_;
  UniqueFd fd_;
  uint64_t size_ = 0;
  uint64_t written_ = 0;
  uint64_t lost_ = 0;
  bool warned_ = false;
  bool torn_line_ = false;  // a short write left half a line: start the next on a new one
};

}  // namespace ccmcp::bridge
