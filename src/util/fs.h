// File reads and writes with the failure modes spelled out for people.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <filesystem>
#include <string>

namespace ccmcp {

// Reads a whole regular file of at most `max_bytes`. `display` names the file
// in messages. Throws Error: missing, a directory, unreadable, too large.
std::string read_text_file(const std::filesystem::path& path, const std::string& display,
                           uint64_t max_bytes);

struct FileOwnership {
  mode_t mode = 0644;
  uid_t uid = static_cast<uid_t>(-1);
  gid_t gid = static_cast<gid_t>(-1);
};

// Writes `content` to `path` all or nothing: a temporary file in the same
// folder, flushed to disk, then renamed over `path`. Keeps `ownership`.
// Throws Error (disk full, no permission, ...) and leaves `path` untouched.
void write_file_atomically(const std::filesystem::path& path, const std::string& display,
                           const std::string& content, const FileOwnership& ownership);

// "errno text" for a message, lowercase like the rest of ours.
std::string system_problem(int error_number);

}  // namespace ccmcp
