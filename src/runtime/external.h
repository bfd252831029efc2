// External mode: a server's `command` run on the host, served over
// Streamable HTTP by cc-mcp-bridge on 127.0.0.1:PORT (the port of the
// state, kept like a container's), as a supervised background process.
//
// start() re-executes cc-mcp (or the program given) as a supervisor,
// detached in its own session. The supervisor holds an flock on its pid
// file while it lives, runs `cc-mcp-bridge --host 127.0.0.1 --port PORT --
// COMMAND ARGS` with the server's environment added and the folder of
// mcp.json as its working folder, writes every line of the bridge and the
// server to the log with a time stamp, and restarts the bridge when it dies
// (as Docker's unless-stopped does: 100 ms, doubling up to a minute, back to
// 100 ms after 10 s of running), counting restarts. Everything it runs stays
// in its session, so stop() and the cpu and memory figures take the session
// as a whole (the bridge puts each server child in a process group of its
// own, so a process group would miss them).
//
// Files, per server NAME under $CC_MCP_HOME:
//   run/NAME.pid    the supervisor's pid; locked while it lives
//   run/NAME.json   what it runs ("spec") and how it goes (pids, restarts,
//                   times); written by start, then by the supervisor; 0600
//                   since the environment may hold tokens
//   logs/NAME.log   the log (moved to NAME.log.1 at 10 MiB)
#pragma once

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "config/home.h"
#include "config/model.h"
#include "runtime/log_file.h"
#include "runtime/state.h"
#include "util/error.h"

namespace ccmcp::runtime::external {

// The hidden first argument that makes the cc-mcp binary a supervisor:
//   cc-mcp --internal-external-supervisor $CC_MCP_HOME/run/NAME.json
// main() hands it to supervisor_main before any other parsing.
inline constexpr const char* kSupervisorArgument = "--internal-external-supervisor";
int supervisor_main(const std::filesystem::path& status_file);

struct Paths {
  std::filesystem::path pid_file, status_file, log_file;
};
Paths paths_of(const config::Home& home, const std::string& name);

// cc-mcp-bridge: $CC_MCP_BRIDGE when set, else the one next to the running
// executable (build/cc-mcp-asan uses build/cc-mcp-bridge, the static one).
// Throws Error (not_found) naming both places.
std::filesystem::path find_bridge();

// Throws Error (not_found) when the server's command cannot be run:
//   "github": command "npx" not found on PATH (install it, or give its full path)
// A PATH in the server's environment is the one searched; a relative path
// with a '/' is taken from the folder of mcp.json, where the server runs.
void check_command(const config::Config& config, const config::Server& server);

struct StartOptions {
  std::filesystem::path bridge;           // empty: find_bridge()
  std::filesystem::path supervisor;       // the program run as supervisor; empty: /proc/self/exe
  std::chrono::milliseconds wait{10000};  // for the supervisor to take its pid file
};

struct Started {
  pid_t pid = 0;  // the supervisor's, which is also its session's id
  int port = 0;
  std::string url;
  bool already_running = false;  // with the same command, environment and port: left alone
  bool replaced = false;         // it ran with another spec: stopped and started anew
};

// Starts the server (see above) unless it already runs as configured. Checks
// the command and that the port is free first; returns once the supervisor
// holds its pid file (not when the server answers: mcp::probe(url) tells).
// Throws Error: command not found, port taken, supervisor did not come up
// (with the last lines of the log).
Started start(const config::Config& config, const config::Server& server, StateStore& state,
              const StartOptions& options = {});

// Ends everything the supervisor runs: SIGTERM to the supervisor (which
// stops the bridge, and the bridge its servers), then, after `grace`,
// SIGKILL to every process left in its session; removes the pid file.
// False when nothing ran.
bool stop(const config::Home& home, const std::string& name,
          std::chrono::milliseconds grace = std::chrono::seconds(10));

// True while the supervisor lives (its pid file is locked).
bool is_running(const config::Home& home, const std::string& name);

struct Status {
  std::string name;
  bool running = false;     // the supervisor lives
  bool restarting = false;  // ... and waits to start the bridge again
  pid_t pid = 0;            // the supervisor
  pid_t bridge_pid = 0;
  int restarts = 0;
  int port = 0;
  std::string url;
  std::optional<SystemTime> started_at;         // the supervisor
  std::optional<SystemTime> bridge_started_at;  // the current bridge: uptime counts from here
  std::string last_exit;                        // how the bridge ended last, if it did
  double cpu_percent = 0;                       // the whole session; 100 = one core
  uint64_t rss_bytes = 0;
  int processes = 0;  // live processes in the session (left-overs when not running)
  std::filesystem::path log_file;

  std::chrono::seconds uptime() const;
};

// The status of each named server, cpu sampled once for all of them over
// `sample` (a server that never ran reads not running, the rest zero).
std::vector<Status> statuses(const config::Home& home, const std::vector<std::string>& names,
                             std::chrono::milliseconds sample = std::chrono::milliseconds(250));
Status status(const config::Home& home, const std::string& name,
              std::chrono::milliseconds sample = std::chrono::milliseconds(250));

// The server's log (see log_file.h for the query and following).
std::vector<LogLine> read_log(const config::Home& home, const std::string& name,
                              const LogQuery& query = {});

}  // namespace ccmcp::runtime::external
