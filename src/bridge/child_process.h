// The MCP server process the bridge serves: started without a shell in its
// own process group, its stdin and stdout as non-blocking pipes, its stderr
// shared with the bridge (the container log). Killed by process group.
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

#include "util/unique_fd.h"

namespace ccmcp::bridge {

class ChildProcess {
 public:
  // Starts argv[0] (looked up in PATH when it has no '/'). Throws
  // std::runtime_error when it cannot be started.
  explicit ChildProcess(const std::vector<std::string>& argv);
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;
  // Kills the whole group (SIGKILL) if it still runs, and reaps it.
  ~ChildProcess();

  pid_t pid() const { return pid_; }
  int stdin_fd() const { return stdin_.get(); }
  int stdout_fd() const { return stdout_.get(); }

  // SIGTERM to the group now; SIGKILL follows in the destructor if needed.
  void terminate();
  // Records that the process has been reaped (by waitpid elsewhere).
  void mark_exited(int status) {
    exited_ = true;
    status_ = status;
  }
  bool exited() const { return exited_; }
  int status() const { return status_; }

 private:
  pid_t pid_ = -1;
  UniqueFd stdin_;
  UniqueFd stdout_;
  bool exited_ = false;
  int status_ = 0;
};

// "exited with code 3", "was killed by signal 9 (Killed)".
std::string describe_exit(int status);

// Whether argv0 names something that can be executed (directly or via PATH).
bool is_executable_command(const std::string& argv0);

}  // namespace ccmcp::bridge
