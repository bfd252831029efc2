// Runs a host program to the end and collects what it printed: started
// without a shell (posix_spawnp, argv as given) in its own process group,
// which is killed whole when the time runs out. Used for the few host tools
// cc-mcp drives (npm, pip); nothing from a package is ever run this way.
#pragma once

#include <chrono>
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

namespace ccmcp {

struct ProcessOptions {
  std::filesystem::path cwd;                             // empty: ours
  std::vector<std::pair<std::string, std::string>> env;  // set (or replaced) in ours
  std::chrono::milliseconds timeout{std::chrono::minutes(10)};
};

// Options with a time limit and, optionally, a working folder.
inline ProcessOptions process_options(std::chrono::milliseconds timeout,
                                      std::filesystem::path cwd = {}) {
  ProcessOptions options;
  options.timeout = timeout;
  options.cwd = std::move(cwd);
  return options;
}

struct ProcessResult {
  int exit_code = -1;  // -1 when killed by a signal
  bool timed_out = false;
  std::string out;  // stdout
  std::string err;  // stderr

  bool ok() const { return exit_code == 0 && !timed_out; }
};

// Throws Error (not_found) when argv[0] cannot be found or started.
ProcessResult run_process(const std::vector<std::string>& argv, const ProcessOptions& options = {});

// Whether `name` is an executable file in PATH (or a path to one).
bool program_exists(const std::string& name);

// The last `count` non-empty lines of `text`.
std::vector<std::string> last_lines(const std::string& text, size_t count);

}  // namespace ccmcp
