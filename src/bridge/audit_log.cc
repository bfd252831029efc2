#include "bridge/audit_log.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <stdexcept>

namespace ccmcp::bridge {

AuditLog::AuditLog(AuditLogOptions options) : options_(std::move(options)) {
  if (options_.keep < 1) options_.keep = 1;
  if (!open())
    throw std::runtime_error("--audit-file: cannot open \"" + options_.path +
                             "\": " + std::strerror(errno));
}

bool AuditLog::open() {
  // 0644: the host user who reads it is not the container's uid 1001.
  fd_.reset(::open(options_.path.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644));
  if (!fd_) return false;
  struct stat st {};
  size_ = ::fstat(fd_.get(), &st) == 0 ? static_cast<uint64_t>(st.st_size) : 0;
  // A file that did not end its last line (a bridge killed mid-write, a
  // full disk) gets its next line on a line of its own.
  torn_line_ = false;
  if (size_ > 0) {
    UniqueFd reader(::open(options_.path.c_str(), O_RDONLY | O_CLOEXEC));
    char last = '\n';
    if (reader && ::pread(reader.get(), &last, 1, static_cast<off_t>(size_ - 1)) == 1)
      torn_line_ = last != '\n';
  }
  return true;
}

void AuditLog::rotate() {
  // Oldest first, so that nothing is overwritten before it moved on; the
  // last one kept falls off the end.
  for (int i = options_.keep - 1; i >= 1; --i) {
    std::string from = options_.path + "." + std::to_string(i);
    std::string to = options_.path + "." + std::to_string(i + 1);
    if (::rename(from.c_str(), to.c_str()) != 0 && errno != ENOENT) return lost("rotate", errno);
  }
  std::string first = options_.path + ".1";
  if (::rename(options_.path.c_str(), first.c_str()) != 0 && errno != ENOENT)
    return lost("rotate", errno);
  fd_.reset();
  if (!open()) lost("reopen", errno);
}

void AuditLog::lost(const char* what, int error) {
  if (warned_) return;
  warned_ = true;
  std::fprintf(stderr,
               "cc-mcp-bridge: audit: cannot %s %s: %s; entries are lost until it works again "
               "(requests go on; this is said once)\n",
               what, options_.path.c_str(), std::strerror(error));
}

void AuditLog::write(std::string_view line) {
  std::string text;
  text.reserve(line.size() + 2);
  if (torn_line_) text += '\n';
  text.append(line);
  text += '\n';
  if (size_ > 0 && size_ + text.size() > options_.max_bytes) rotate();
  if (!fd_ && !open()) {
    ++lost_;
    return lost("open", errno);
  }
  size_t done = 0;
  while (done < text.size()) {
    ssize_t n = ::write(fd_.get(), text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      int error = n < 0 ? errno : ENOSPC;
      size_ += done;
      if (done > 0) torn_line_ = true;
      ++lost_;
      return lost("write", error);
    }
    done += static_cast<size_t>(n);
  }
  size_ += done;
  torn_line_ = false;
  ++written_;
}

}  // namespace ccmcp::bridge
