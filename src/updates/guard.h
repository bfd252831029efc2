// The guard of a replacement: a process of its own (cc-mcp started again
// with kGuardArgument, in its own session) that holds the read end of a pipe
// while the update replaces a container. The update tells it "done" when
// the replacement ended either way; if the update dies instead (SIGKILL,
// a crash, a closed terminal), the guard reads end-of-file, waits for the
// update's lock, and runs recover() (replace.h), so that the old or the new
// version runs and answers without any other command.
#pragma once

#include <string>

#include "config/home.h"
#include "util/process.h"

namespace ccmcp::updates {

inline constexpr const char* kGuardArgument = "--internal-update-guard";

// $CC_MCP_HOME/updates/NAME.lock: held by an update or rollback of NAME.
std::filesystem::path update_lock_path(const config::Home& home, const std::string& server);

class Guard {
 public:
  Guard(const config::Home& home, const std::string& server);
  // The replacement ended, either way, and was reported: the guard may go.
  void replacement_ended();
  // Without replacement_ended() (an error that left the replacement
  // unfinished, such as an engine that went away), the guard is left to
  // recover once this process is gone and the engine answers again.
  ~Guard();
  Guard(const Guard&) = delete;
  Guard& operator=(const Guard&) = delete;

 private:
  ChildProcess child_;
};

// The guard's process: main() calls it for kGuardArgument, before anything
// else runs. Returns the exit code.
int guard_main(const char* server);

}  // namespace ccmcp::updates
