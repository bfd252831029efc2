// The files external mode keeps per server (see external.h): pid files
// and their locks, the status file, and a process's command line.
#pragma once

#include <sys/types.h>

#include <filesystem>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "util/unique_fd.h"

namespace ccmcp::runtime::external {

using Json = nlohmann::json;

// The pid in a pid file, or nullopt when there is none. A file that is
// locked but not yet written is waited for (up to 200 ms), never read as
// "no pid": the supervisor takes the lock before it writes its pid.
std::optional<pid_t> read_pid_file(const std::filesystem::path& path);

// True when a live process holds the pid file's flock: the supervisor.
bool pid_file_locked(const std::filesystem::path& path);

// Takes the pid file's lock and writes our pid into it; an empty fd when
// another process holds it. The lock lasts as long as the fd.
UniqueFd lock_pid_file(const std::filesystem::path& path);

// The status file; {} when missing or damaged.
Json read_status_file(const std::filesystem::path& path);
// Written atomically, mode 0600 (the environment may hold secrets).
void write_status_file(const std::filesystem::path& path, const Json& status);

// Creates the folder (mode 0700) if needed; throws Error.
void make_private_dir(const std::filesystem::path& dir);

// /proc/PID/cmdline with the NULs as spaces; "" when gone.
std::string read_cmdline(pid_t pid);

}  // namespace ccmcp::runtime::external
