// The supervisor of an external server: the cc-mcp binary run again with
// kSupervisorArgument. A fresh exec rather than a fork of the running
// command, because `cc-mcp start` may have threads by then (curl, parallel
// probes) and only a single-threaded process may safely go on after fork.
// Here, at the top of main, there is exactly one thread, so the classic
// daemon steps are safe: fork (the launcher exits at once, so `start`
// reaps it and the supervisor is nobody's zombie), setsid (a session of
// its own, which everything below it shares), then one poll loop over the
// bridge's output and a signalfd.
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <optional>

#include "config/home.h"
#include "runtime/external.h"
#include "runtime/external_files.h"
#include "runtime/log_file.h"
#include "runtime/proc_stats.h"
#include "secrets/resolve.h"
#include "util/error.h"
#include "util/fs.h"
#include "util/process.h"
#include "util/redact.h"

namespace ccmcp::runtime::external {

namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

constexpr milliseconds kFirstDelay{100};
constexpr milliseconds kMaxDelay{60000};
constexpr milliseconds kStableAfter{10000};  // a bridge that ran this long starts the delays over
constexpr milliseconds kStopGrace{5000};
constexpr size_t kMaxPartialLine = 64 * 1024;

std::string now_text() {
  return format_timestamp(std::chrono::system_clock::now());
}

class Supervisor {
 public:
  Supervisor(std::filesystem::path status_file, Json status)
      : status_file_(std::move(status_file)),
        status_(std::move(status)),
        spec_(status_["spec"]),
        log_(spec_.at("logFile").get<std::string>()) {}

  int run();

 private:
  void start_bridge();
  void bridge_exited(int wait_status);
  void read_output(bool flush_partial);
  void save();
  void kill_the_rest();

  std::filesystem::path status_file_;
  Json status_;
  Json spec_;
  LogWriter log_;
  UniqueFd output_read_, output_write_;
  std::optional<ChildProcess> bridge_;
  Clock::time_point bridge_started_;
  std::optional<Clock::time_point> restart_at_;
  std::optional<Clock::time_point> kill_at_;
  milliseconds delay_ = kFirstDelay;
  int restarts_ = 0;
  bool stopping_ = false;
  std::string partial_;
  Redactor redactor_;  // the secret values its bridge was given
};

void Supervisor::save() {
  try {
    write_status_file(status_file_, status_);
  } catch (const Error& error) {
    log_.line("cc-mcp: cannot write the status: " + error.message());
  }
}

void Supervisor::start_bridge() {
  SpawnOptions options;
  for (const auto& arg : spec_["argv"]) options.argv.push_back(arg.get<std::string>());
  // "${secret:KEY}" put in from the store now, into the process only: the
  // spec on disk keeps the references.
  config::StringPairs environment;
  for (const auto& [key, value] : spec_["environment"].items())
    environment.emplace_back(key, value.get<std::string>());
  try {
    auto resolved =
        secrets::resolve_environment(config::cc_mcp_home(), spec_.value("name", ""), environment);
    options.environment = resolved.plain;
    for (auto& pair : resolved.secret) options.environment.push_back(std::move(pair));
    redactor_ = Redactor(std::move(resolved.values));
  } catch (const Error& error) {
    log_.line("cc-mcp: cannot start the bridge: " + error.message());
    bridge_exited(127 << 8);
    return;
  }
  options.cwd = spec_.value("cwd", "");
  options.in = SpawnOptions::Stream::null;
  options.out = options.err = SpawnOptions::Stream::fd;
  options.out_fd = options.err_fd = output_write_.get();
  try {
    bridge_.emplace(options);
  } catch (const Error& error) {
    log_.line("cc-mcp: cannot start the bridge: " + error.message());
    bridge_exited(127 << 8);
    return;
  }
  bridge_started_ = Clock::now();
  status_["state"] = "running";
  status_["bridge"] = bridge_->pid();
  status_["bridgeStartedAt"] = now_text();
  status_["restarts"] = restarts_;
  save();
  log_.line("cc-mcp: started cc-mcp-bridge (pid " + std::to_string(bridge_->pid()) + ")" +
            (restarts_ ? ", restart " + std::to_string(restarts_) : ""));
}

void Supervisor::bridge_exited(int wait_status) {
  std::string how = describe_exit(wait_status);
  bool ran_long = bridge_ && Clock::now() - bridge_started_ >= kStableAfter;
  bridge_.reset();
  status_["bridge"] = 0;
  status_["lastExit"] = how;
  if (stopping_) {
    log_.line("cc-mcp: the bridge " + how);
    return;
  }
  if (ran_long) delay_ = kFirstDelay;
  restart_at_ = Clock::now() + delay_;
  log_.line("cc-mcp: the bridge " + how + "; restarting it in " + std::to_string(delay_.count()) +
            " ms");
  delay_ = std::min(delay_ * 2, kMaxDelay);
  status_["state"] = "restarting";
  save();
}

void Supervisor::read_output(bool flush_partial) {
  char buffer[16384];
  for (;;) {
    ssize_t n = ::read(output_read_.get(), buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    partial_.append(buffer, static_cast<size_t>(n));
    size_t start = 0;
    for (size_t nl; (nl = partial_.find('\n', start)) != std::string::npos; start = nl + 1)
      log_.line(redactor_.apply(std::string_view(partial_).substr(start, nl - start)));
    partial_.erase(0, start);
    if (partial_.size() > kMaxPartialLine) {  // a line without end: write what there is
      log_.line(redactor_.apply(partial_));
      partial_.clear();
    }
  }
  if (flush_partial && !partial_.empty()) {
    log_.line(redactor_.apply(partial_));
    partial_.clear();
  }
}

void Supervisor::kill_the_rest() {
  for (const auto& process : processes_in_session(::getpid()))
    if (process.pid != ::getpid()) ::kill(process.pid, SIGKILL);
}

int Supervisor::run() {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC | O_NONBLOCK) != 0) {
    log_.line("cc-mcp: supervisor: pipe: " + system_problem(errno));
    return 1;
  }
  output_read_.reset(fds[0]);
  output_write_.reset(fds[1]);
  // The bridge writes its output blocking, as to any pipe.
  ::fcntl(fds[1], F_SETFL, ::fcntl(fds[1], F_GETFL) & ~O_NONBLOCK);

  sigset_t signals;
  sigemptyset(&signals);
  for (int s : {SIGCHLD, SIGTERM, SIGINT, SIGHUP}) sigaddset(&signals, s);
  ::sigprocmask(SIG_BLOCK, &signals, nullptr);
  UniqueFd signal_fd(::signalfd(-1, &signals, SFD_CLOEXEC | SFD_NONBLOCK));

  status_["supervisor"] = ::getpid();
  status_["startedAt"] = now_text();
  status_["restarts"] = 0;
  log_.line("cc-mcp: supervisor (pid " + std::to_string(::getpid()) + ") runs \"" +
            spec_.value("name", "") +
            "\" on http://127.0.0.1:" + std::to_string(spec_.value("port", 0)) + "/mcp");
  start_bridge();

  for (;;) {
    int timeout = -1;
    auto now = Clock::now();
    for (const auto& at : {restart_at_, kill_at_})
      if (at) {
        auto ms = std::chrono::duration_cast<milliseconds>(*at - now).count();
        int wait = static_cast<int>(std::max<long long>(0, ms));
        timeout = timeout < 0 ? wait : std::min(timeout, wait);
      }
    pollfd fds_to_poll[2] = {{signal_fd.get(), POLLIN, 0}, {output_read_.get(), POLLIN, 0}};
    int ready = ::poll(fds_to_poll, 2, timeout);
    if (ready < 0 && errno != EINTR) break;
    if (fds_to_poll[1].revents) read_output(false);
    if (fds_to_poll[0].revents) {
      signalfd_siginfo info{};
      while (::read(signal_fd.get(), &info, sizeof info) == sizeof info) {
        if (info.ssi_signo != SIGCHLD && !stopping_) {
          stopping_ = true;
          restart_at_.reset();
          log_.line("cc-mcp: stopping (signal " + std::to_string(info.ssi_signo) + ")");
          status_["state"] = "stopping";
          save();
          if (bridge_) {
            bridge_->signal_group(SIGTERM);
            kill_at_ = Clock::now() + kStopGrace;
          }
        }
      }
      if (bridge_)
        if (auto exited = bridge_->poll()) bridge_exited(*exited);
    }
    if (stopping_ && !bridge_) break;
    now = Clock::now();
    if (restart_at_ && now >= *restart_at_) {
      restart_at_.reset();
      ++restarts_;
      start_bridge();
    }
    if (kill_at_ && now >= *kill_at_ && bridge_) {
      log_.line("cc-mcp: the bridge did not stop in time; killing it");
      bridge_->signal_group(SIGKILL);
      kill_at_.reset();
    }
  }
  read_output(true);
  kill_the_rest();  // servers the bridge left, each in a group of its own
  log_.line("cc-mcp: stopped");
  status_["state"] = "stopped";
  save();
  return 0;
}

}  // namespace

int supervisor_main(const std::filesystem::path& status_file) {
  // Step 1: the launcher forks and exits; `start` waits for it.
  pid_t child = ::fork();
  if (child < 0) {
    std::fprintf(stderr, "cc-mcp: supervisor: fork failed: %s\n", system_problem(errno).c_str());
    return 1;
  }
  if (child > 0) return 0;
  ::setsid();
  Json status = read_status_file(status_file);
  if (!status.contains("spec") || !status["spec"].contains("argv") ||
      !status["spec"].contains("logFile") || !status["spec"].contains("pidFile")) {
    std::fprintf(stderr, "cc-mcp: supervisor: %s holds no server to run\n", status_file.c_str());
    return 1;
  }
  std::filesystem::path pid_file = status["spec"]["pidFile"].get<std::string>();
  UniqueFd lock = lock_pid_file(pid_file);
  if (!lock) {
    std::fprintf(stderr, "cc-mcp: supervisor: another supervisor holds %s; this one leaves\n",
                 pid_file.c_str());
    return 1;
  }
  // Our stdout and stderr are the log file, opened by start; from now on
  // everything goes through the LogWriter.
  int null_fd = ::open("/dev/null", O_RDWR | O_CLOEXEC);
  if (null_fd >= 0) {
    ::dup2(null_fd, STDOUT_FILENO);
    ::dup2(null_fd, STDERR_FILENO);
    ::close(null_fd);
  }
  int code;
  try {
    code = Supervisor(status_file, status).run();
  } catch (const std::exception& error) {
    LogWriter(status["spec"]["logFile"].get<std::string>())
        .line(std::string("cc-mcp: supervisor failed: ") + error.what());
    code = 1;
  }
  std::error_code ec;
  std::filesystem::remove(pid_file, ec);  // while still holding its lock
  return code;
}

}  // namespace ccmcp::runtime::external
