#include "runtime/external.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/file.h>
#include <unistd.h>

#include <cstdlib>
#include <thread>

#include "config/validate.h"
#include "net/tcp_probe.h"
#include "runtime/audit_volume.h"
#include "runtime/external_files.h"
#include "runtime/proc_stats.h"
#include "secrets/resolve.h"
#include "util/error.h"
#include "util/fs.h"
#include "util/process.h"
#include "util/strings.h"
#include "util/unique_fd.h"

namespace ccmcp::runtime::external {

namespace {

using Clock = std::chrono::steady_clock;

std::string log_tail_hint(const std::filesystem::path& log) {
  LogQuery query;
  query.tail = 10;
  std::vector<std::string> lines;
  for (const auto& line : read_log(log, query)) lines.push_back(line.text);
  if (lines.empty()) return "its log " + log.string() + " is empty";
  return "the last lines of " + log.string() + ":\n  " + join(lines, "\n  ");
}

// The processes of the session that `pid` led, or none when that session
// is not one of ours: the pid now belongs to someone else. (While any
// process still has the session id, Linux does not hand out the pid
// again; so a live leader that is not our supervisor means there are no
// members of ours left.)
std::vector<ProcStat> our_session(pid_t pid, bool locked) {
  if (!locked) {
    if (auto leader = read_proc_stat(pid); leader && leader->state != 'Z') {
      std::string cmdline = read_cmdline(pid);
      if (cmdline.find(kSupervisorArgument) == std::string::npos) return {};
    }
  }
  return processes_in_session(pid);
}

bool wait_until_empty(pid_t session, Clock::time_point deadline) {
  while (!processes_in_session(session).empty()) {
    if (Clock::now() >= deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(25));
  }
  return true;
}

}  // namespace

Paths paths_of(const config::Home& home, const std::string& name) {
  return {home.run_dir() / (name + ".pid"), home.run_dir() / (name + ".json"),
          home.logs_dir() / (name + ".log")};
}

std::filesystem::path find_bridge() {
  if (const char* env = std::getenv("CC_MCP_BRIDGE"); env && *env) {
    if (auto found = find_on_path(env)) return *found;
    throw Error(ErrorKind::not_found, "$CC_MCP_BRIDGE", quote(env) + " is not an executable file",
                "point it at cc-mcp-bridge, or unset it");
  }
  std::error_code ec;
  std::filesystem::path self = std::filesystem::read_symlink("/proc/self/exe", ec);
  std::filesystem::path next_to = self.parent_path() / "cc-mcp-bridge";
  if (!ec)
    if (auto found = find_on_path(next_to.string())) return *found;
  throw Error(ErrorKind::not_found, "cc-mcp-bridge",
              "not found next to " + (ec ? std::string("cc-mcp") : self.string()) +
                  " and $CC_MCP_BRIDGE is not set",
              "build it (cmake --build build), or set CC_MCP_BRIDGE to its path");
}

void check_command(const config::Config& config, const config::Server& server) {
  if (auto problem = config::find_command_problem(config, server))
    throw Error(ErrorKind::not_found, quote(server.name), problem->problem, problem->hint);
}

bool is_running(const config::Home& home, const std::string& name) {
  return pid_file_locked(paths_of(home, name).pid_file);
}

Started start(const config::Config& config, const config::Server& server, StateStore& state,
              const StartOptions& options) {
  const std::string& name = server.name;
  check_command(config, server);
  Paths paths = paths_of(state.home(), name);
  make_private_dir(state.home().run_dir());
  make_private_dir(state.home().logs_dir());
  std::filesystem::path bridge = options.bridge.empty() ? find_bridge() : options.bridge;
  int port = state.ensure_port(name);

  Json spec = {{"name", name}, {"port", port}, {"cwd", config.dir.string()}};
  Json argv = {bridge.string(), "--host", "127.0.0.1", "--port", std::to_string(port)};
  for (const auto& option : audit_bridge_options(server, state.home())) argv.push_back(option);
  argv.push_back("--");
  argv.push_back(server.command);
  for (const auto& arg : server.args) argv.push_back(arg);
  spec["argv"] = argv;
  Json environment = Json::object();
  for (const auto& [key, value] : server.environment) environment[key] = value;
  spec["environment"] = environment;
  // Resolved here too: a missing secret refuses the start, and a changed one
  // changes the spec (a keyed digest, not the value), so it restarts.
  if (!secrets::referenced_keys(server).empty())
    spec["secretsDigest"] = secrets::resolve_environment(state.home(), server).digest;
  spec["logFile"] = paths.log_file.string();
  spec["pidFile"] = paths.pid_file.string();

  Started started;
  started.port = port;
  started.url = server_url(port);
  if (is_running(state.home(), name)) {
    Json current = read_status_file(paths.status_file);
    if (current.value("spec", Json()) == spec) {
      started.already_running = true;
      started.pid = read_pid_file(paths.pid_file).value_or(0);
      return started;
    }
    stop(state.home(), name);
    started.replaced = true;
  } else if (read_pid_file(paths.pid_file)) {
    stop(state.home(), name, std::chrono::seconds(2));  // what a killed supervisor left behind
  }
  // (Not port_is_free: a port in TIME_WAIT after our own bridge stopped is
  // ours to take again, and the bridge binds with SO_REUSEADDR.)
  if (net::loopback_port_answers(port))
    throw Error(ErrorKind::conflict, quote(name),
                "port " + std::to_string(port) + " on 127.0.0.1 is taken by another process",
                "stop that process: cc-mcp keeps this port for " + quote(name) +
                    " so that client configs stay valid (find it with: ss -ltnp 'sport = :" +
                    std::to_string(port) + "')");

  write_status_file(paths.status_file, Json{{"spec", spec}, {"state", "starting"}});
  UniqueFd log(::open(paths.log_file.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600));
  if (!log)
    throw Error(ErrorKind::io, paths.log_file.string(), "cannot open: " + system_problem(errno));
  SpawnOptions spawn;
  std::string program = options.supervisor.empty() ? "/proc/self/exe" : options.supervisor.string();
  spawn.argv = {program, kSupervisorArgument, paths.status_file.string()};
  spawn.in = SpawnOptions::Stream::null;
  spawn.out = SpawnOptions::Stream::fd;
  spawn.out_fd = log.get();
  spawn.err = SpawnOptions::Stream::fd;
  spawn.err_fd = log.get();
  ChildProcess launcher(spawn);
  // The launcher forks the supervisor and exits at once (see supervisor_main).
  int launched = launcher.wait();
  auto deadline = Clock::now() + options.wait;
  for (;;) {
    if (is_running(state.home(), name))
      if (auto pid = read_pid_file(paths.pid_file); pid && *pid > 0) {
        started.pid = *pid;
        return started;
      }
    if (launched != 0 || Clock::now() >= deadline)
      throw Error(ErrorKind::runtime, quote(name),
                  "its supervisor did not start (" +
                      (launched != 0
                           ? describe_exit(launched)
                           : "no pid file after " + std::to_string(options.wait.count()) + " ms") +
                      ")",
                  log_tail_hint(paths.log_file));
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
}

bool stop(const config::Home& home, const std::string& name, std::chrono::milliseconds grace) {
  Paths paths = paths_of(home, name);
  auto pid = read_pid_file(paths.pid_file);
  if (!pid || *pid <= 1) {
    std::error_code ec;
    std::filesystem::remove(paths.pid_file, ec);
    return false;
  }
  bool locked = pid_file_locked(paths.pid_file);
  bool ran = locked || !our_session(*pid, locked).empty();
  if (locked) ::kill(*pid, SIGTERM);  // the supervisor stops the bridge, the bridge its servers
  if (ran && !wait_until_empty(*pid, Clock::now() + grace)) {
    for (const auto& process : our_session(*pid, pid_file_locked(paths.pid_file)))
      ::kill(process.pid, SIGKILL);
    wait_until_empty(*pid, Clock::now() + std::chrono::seconds(5));
  }
  std::error_code ec;
  std::filesystem::remove(paths.pid_file, ec);
  return ran;
}

std::chrono::seconds Status::uptime() const {
  if (!running || restarting || !bridge_started_at) return std::chrono::seconds(0);
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now() -
                                                          *bridge_started_at);
}

std::vector<Status> statuses(const config::Home& home, const std::vector<std::string>& names,
                             std::chrono::milliseconds sample) {
  std::vector<Status> out;
  std::set<pid_t> sessions;
  for (const auto& name : names) {
    Status s;
    s.name = name;
    Paths paths = paths_of(home, name);
    s.log_file = paths.log_file;
    Json file = read_status_file(paths.status_file);
    auto pid = read_pid_file(paths.pid_file);
    s.running = pid_file_locked(paths.pid_file);
    s.pid = pid.value_or(0);
    const Json& spec = file.value("spec", Json::object());
    s.port = spec.value("port", 0);
    if (s.port) s.url = server_url(s.port);
    s.restarts = file.value("restarts", 0);
    s.last_exit = file.value("lastExit", "");
    s.started_at = parse_timestamp(file.value("startedAt", ""));
    if (s.running) {
      s.bridge_pid = file.value("bridge", 0);
      s.restarting = file.value("state", "") == "restarting";
      s.bridge_started_at = parse_timestamp(file.value("bridgeStartedAt", ""));
    }
    if (s.pid > 1 && (s.running || !our_session(s.pid, false).empty())) sessions.insert(s.pid);
    out.push_back(std::move(s));
  }
  if (sessions.empty()) return out;
  auto usage = sample_sessions(sessions, sample);
  for (auto& s : out) {
    auto it = usage.find(s.pid);
    if (it == usage.end()) continue;
    s.cpu_percent = it->second.cpu_percent;
    s.rss_bytes = it->second.rss_bytes;
    s.processes = it->second.processes;
  }
  return out;
}

Status status(const config::Home& home, const std::string& name, std::chrono::milliseconds sample) {
  return statuses(home, {name}, sample).front();
}

std::vector<LogLine> read_log(const config::Home& home, const std::string& name,
                              const LogQuery& query) {
  return runtime::read_log(paths_of(home, name).log_file, query);
}

}  // namespace ccmcp::runtime::external
