// Child processes of cc-mcp itself (not the bridge's, which has its own):
// spawned without a shell (posix_spawnp), in their own process group or
// session, killed by group, always reaped. Two ways: ChildProcess (process.cc)
// for processes that run beside us (the external-mode supervisor, stdio
// servers), and run_process (run_process.cc) for a host program run to the
// end with its output collected (npm, pip; nothing from a package is ever
// run this way). Also the PATH lookup that start and `config validate` use
// to refuse a command that cannot run.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "util/unique_fd.h"

namespace ccmcp {

struct SpawnOptions {
  std::vector<std::string> argv;  // argv[0] is looked up in PATH when it has no '/'
  // Added to (or replacing the same names in) our own environment.
  std::vector<std::pair<std::string, std::string>> environment;
  std::filesystem::path cwd;  // empty: ours
  // own_group: setpgid(0, 0), killed with kill(-pid). own_session: setsid(),
  // detached from our terminal, which a background supervisor needs.
  enum class Grouping { own_group, own_session } grouping = Grouping::own_group;
  // Each stream: a pipe to us, /dev/null, ours (inherit), or a given fd.
  enum class Stream { pipe, null, inherit, fd };
  Stream in = Stream::pipe, out = Stream::pipe, err = Stream::inherit;  // err: no pipe
  int out_fd = -1, err_fd = -1;                                         // for Stream::fd
};

class ChildProcess {
 public:
  ChildProcess() = default;
  // Throws Error (not_found when the command is missing, else runtime).
  explicit ChildProcess(const SpawnOptions& options);
  ChildProcess(ChildProcess&& other) noexcept;
  ChildProcess& operator=(ChildProcess&& other) noexcept;
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;
  // Kills the whole group (SIGKILL) if it was not reaped yet, and reaps it.
  ~ChildProcess();

  pid_t pid() const { return pid_; }
  bool running() const { return pid_ > 0 && !status_; }
  // Our ends of the pipes (empty when the stream was not a pipe).
  UniqueFd& stdin_pipe() { return stdin_; }
  UniqueFd& stdout_pipe() { return stdout_; }

  // The wait status once it exited (reaps it), nullopt while it runs.
  std::optional<int> poll();
  // Waits up to `timeout` for it to exit; the wait status, or nullopt.
  std::optional<int> wait_for(std::chrono::milliseconds timeout);
  int wait();
  // Lets it run on after we are gone: forgets it without killing or reaping
  // it (init reaps it once we exit). For a detached background process.
  void detach();
  // Sends `signal` to its whole process group.
  void signal_group(int signal);
  // SIGTERM to the group, SIGKILL after `grace`; returns the wait status.
  int terminate(std::chrono::milliseconds grace);

 private:
  void reset();

  pid_t pid_ = -1;
  std::optional<int> status_;
  UniqueFd stdin_, stdout_;
};

// "exited with code 1", "was killed by signal 9 (Killed)".
std::string describe_exit(int wait_status);

// The absolute path that execvp would run for `command` with this PATH
// value (a command with a '/' is checked as it is), or nullopt.
std::optional<std::filesystem::path> find_on_path(std::string_view command,
                                                  std::string_view path_value);
// The same with our own $PATH (the default search path when unset).
std::optional<std::filesystem::path> find_on_path(std::string_view command);

// Writes all of `data` to `fd`, retrying on EINTR; a closed reader is an
// error return (false, errno EPIPE), never a SIGPIPE that kills us.
bool write_all(int fd, std::string_view data);

// --- run_process (run_process.cc) ---

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
