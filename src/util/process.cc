#include "util/process.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <map>
#include <thread>

#include "util/error.h"
#include "util/fs.h"

extern char** environ;

namespace ccmcp {

namespace {

// posix_spawn's attributes and file actions, destroyed on every path.
struct SpawnSetup {
  posix_spawnattr_t attr;
  posix_spawn_file_actions_t actions;
  SpawnSetup() {
    posix_spawnattr_init(&attr);
    posix_spawn_file_actions_init(&actions);
  }
  ~SpawnSetup() {
    posix_spawn_file_actions_destroy(&actions);
    posix_spawnattr_destroy(&attr);
  }
  SpawnSetup(const SpawnSetup&) = delete;
  SpawnSetup& operator=(const SpawnSetup&) = delete;
};

std::pair<UniqueFd, UniqueFd> make_pipe() {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) throw Error(ErrorKind::runtime, "pipe", system_problem(errno));
  return {UniqueFd(fds[0]), UniqueFd(fds[1])};
}

// Our environment with `extra` added; the same name in `extra` wins.
std::vector<std::string> merged_environment(
    const std::vector<std::pair<std::string, std::string>>& extra) {
  std::map<std::string, std::string> overrides(extra.begin(), extra.end());
  std::vector<std::string> out;
  for (char** entry = environ; entry && *entry; ++entry) {
    std::string_view text(*entry);
    std::string name(text.substr(0, text.find('=')));
    if (!overrides.count(name)) out.emplace_back(text);
  }
  for (const auto& [name, value] : extra) out.push_back(name + "=" + value);
  return out;
}

std::string path_of_environment(const std::vector<std::pair<std::string, std::string>>& extra) {
  for (const auto& [name, value] : extra)
    if (name == "PATH") return value;
  const char* path = std::getenv("PATH");
  return path ? path : "/usr/local/bin:/usr/bin:/bin";
}

}  // namespace

ChildProcess::ChildProcess(const SpawnOptions& options) {
  if (options.argv.empty()) throw Error(ErrorKind::internal, "spawn", "no command given");
  const std::string& command = options.argv[0];
  // posix_spawnp would report a missing command only as the child's exit
  // code 127; look it up first so that the message can say what is wrong.
  std::string search_path = path_of_environment(options.environment);
  auto resolved = find_on_path(command, search_path);
  if (!resolved)
    throw Error(ErrorKind::not_found, "command " + quote(command),
                command.find('/') == std::string::npos ? "not found on PATH"
                                                       : "does not exist or is not executable",
                command.find('/') == std::string::npos ? "install it, or give its full path"
                                                       : "check the path");

  SpawnSetup setup;
  sigset_t none, all;
  sigemptyset(&none);
  sigfillset(&all);
  short flags = POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF;
  if (options.grouping == SpawnOptions::Grouping::own_session) {
    flags |= POSIX_SPAWN_SETSID;
  } else {
    flags |= POSIX_SPAWN_SETPGROUP;
    posix_spawnattr_setpgroup(&setup.attr, 0);
  }
  // Default dispositions and an empty mask: we may block or ignore signals
  // (SIGPIPE, a signalfd) that the child must see as usual.
  posix_spawnattr_setsigmask(&setup.attr, &none);
  posix_spawnattr_setsigdefault(&setup.attr, &all);
  posix_spawnattr_setflags(&setup.attr, flags);

  UniqueFd child_in, child_out;  // the child's ends, closed here after the spawn
  auto wire = [&](SpawnOptions::Stream stream, int target, int given, UniqueFd& ours,
                  UniqueFd& theirs, bool child_reads) {
    switch (stream) {
      case SpawnOptions::Stream::pipe: {
        auto [read_end, write_end] = make_pipe();
        if (child_reads) {
          theirs = std::move(read_end);
          ours = std::move(write_end);
        } else {
          theirs = std::move(write_end);
          ours = std::move(read_end);
        }
        posix_spawn_file_actions_adddup2(&setup.actions, theirs.get(), target);
        break;
      }
      case SpawnOptions::Stream::null:
        posix_spawn_file_actions_addopen(&setup.actions, target, "/dev/null",
                                         child_reads ? O_RDONLY : O_WRONLY, 0);
        break;
      case SpawnOptions::Stream::fd:
        posix_spawn_file_actions_adddup2(&setup.actions, given, target);
        break;
      case SpawnOptions::Stream::inherit:
        break;
    }
  };
  if (options.err == SpawnOptions::Stream::pipe)
    throw Error(ErrorKind::internal, "spawn", "stderr cannot be a pipe here");
  UniqueFd unused_ours, unused_theirs;
  wire(options.in, STDIN_FILENO, -1, stdin_, child_in, true);
  wire(options.out, STDOUT_FILENO, options.out_fd, stdout_, child_out, false);
  wire(options.err, STDERR_FILENO, options.err_fd, unused_ours, unused_theirs, false);
  if (!options.cwd.empty())
    posix_spawn_file_actions_addchdir_np(&setup.actions, options.cwd.c_str());

  std::vector<std::string> env = merged_environment(options.environment);
  std::vector<char*> env_pointers;
  for (auto& entry : env) env_pointers.push_back(entry.data());
  env_pointers.push_back(nullptr);
  std::vector<char*> args;
  for (const auto& arg : options.argv) args.push_back(const_cast<char*>(arg.c_str()));
  args.push_back(nullptr);
  std::string program = resolved->string();
  int rc = ::posix_spawn(&pid_, program.c_str(), &setup.actions, &setup.attr, args.data(),
                         env_pointers.data());
  if (rc != 0) {
    pid_ = -1;
    throw Error(ErrorKind::runtime, "command " + quote(command),
                "cannot be started: " + system_problem(rc),
                rc == ENOENT && !options.cwd.empty()
                    ? "check that " + quote(options.cwd.string()) + " exists"
                    : std::string{});
  }
}

ChildProcess::ChildProcess(ChildProcess&& other) noexcept
    : pid_(std::exchange(other.pid_, -1)),
      status_(std::exchange(other.status_, std::nullopt)),
      stdin_(std::move(other.stdin_)),
      stdout_(std::move(other.stdout_)) {}

ChildProcess& ChildProcess::operator=(ChildProcess&& other) noexcept {
  if (this != &other) {
    reset();
    pid_ = std::exchange(other.pid_, -1);
    status_ = std::exchange(other.status_, std::nullopt);
    stdin_ = std::move(other.stdin_);
    stdout_ = std::move(other.stdout_);
  }
  return *this;
}

ChildProcess::~ChildProcess() {
  reset();
}

void ChildProcess::detach() {
  stdin_.reset();
  stdout_.reset();
  pid_ = -1;
  status_.reset();
}

void ChildProcess::reset() {
  stdin_.reset();
  stdout_.reset();
  if (pid_ > 0 && !status_) {
    // The group may outlive its leader (a grandchild): kill it either way.
    ::kill(-pid_, SIGKILL);
    wait();
  }
  pid_ = -1;
  status_.reset();
}

std::optional<int> ChildProcess::poll() {
  if (status_ || pid_ <= 0) return status_;
  int status = 0;
  pid_t rc = ::waitpid(pid_, &status, WNOHANG);
  if (rc == pid_) status_ = status;
  if (rc < 0 && errno == ECHILD) status_ = 0;  // reaped by someone else
  return status_;
}

std::optional<int> ChildProcess::wait_for(std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  auto pause = std::chrono::milliseconds(1);
  while (!poll()) {
    if (std::chrono::steady_clock::now() >= deadline) return std::nullopt;
    std::this_thread::sleep_for(pause);
    pause = std::min(pause * 2, std::chrono::milliseconds(20));
  }
  return status_;
}

int ChildProcess::wait() {
  if (status_ || pid_ <= 0) return status_.value_or(0);
  int status = 0;
  pid_t rc;
  while ((rc = ::waitpid(pid_, &status, 0)) < 0 && errno == EINTR) {
  }
  status_ = rc == pid_ ? status : 0;
  return *status_;
}

void ChildProcess::signal_group(int signal) {
  if (pid_ > 0) ::kill(-pid_, signal);
}

int ChildProcess::terminate(std::chrono::milliseconds grace) {
  if (pid_ <= 0) return 0;
  signal_group(SIGTERM);
  auto status = wait_for(grace);
  signal_group(SIGKILL);  // what the leader left behind, or the leader itself
  return status ? *status : wait();
}

std::string describe_exit(int wait_status) {
  if (WIFEXITED(wait_status)) return "exited with code " + std::to_string(WEXITSTATUS(wait_status));
  if (WIFSIGNALED(wait_status))
    return "was killed by signal " + std::to_string(WTERMSIG(wait_status)) + " (" +
           strsignal(WTERMSIG(wait_status)) + ")";
  return "stopped";
}

std::optional<std::filesystem::path> find_on_path(std::string_view command,
                                                  std::string_view path_value) {
  if (command.empty()) return std::nullopt;
  auto executable = [](const std::filesystem::path& path) {
    struct stat st {};
    return ::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode) &&
           ::access(path.c_str(), X_OK) == 0;
  };
  if (command.find('/') != std::string_view::npos) {
    std::filesystem::path path(command);
    if (!executable(path)) return std::nullopt;
    return std::filesystem::absolute(path).lexically_normal();
  }
  size_t start = 0;
  while (start <= path_value.size()) {
    size_t end = path_value.find(':', start);
    if (end == std::string_view::npos) end = path_value.size();
    std::string_view dir = path_value.substr(start, end - start);
    // An empty entry means the current folder, as execvp reads it.
    std::filesystem::path candidate =
        std::filesystem::path(dir.empty() ? "." : std::string(dir)) / std::string(command);
    if (executable(candidate)) return std::filesystem::absolute(candidate).lexically_normal();
    start = end + 1;
  }
  return std::nullopt;
}

std::optional<std::filesystem::path> find_on_path(std::string_view command) {
  const char* path = std::getenv("PATH");
  return find_on_path(command, path ? path : "/usr/local/bin:/usr/bin:/bin");
}

bool write_all(int fd, std::string_view data) {
  // Block SIGPIPE in this thread for the write; a SIGPIPE it raised stays
  // pending and is taken away again, unless one was pending before.
  sigset_t pipe_set, old_mask, pending;
  sigemptyset(&pipe_set);
  sigaddset(&pipe_set, SIGPIPE);
  sigpending(&pending);
  bool was_pending = sigismember(&pending, SIGPIPE);
  pthread_sigmask(SIG_BLOCK, &pipe_set, &old_mask);
  bool ok = true;
  int saved_errno = 0;
  while (!data.empty()) {
    ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      ok = false;
      saved_errno = errno;
      break;
    }
    data.remove_prefix(static_cast<size_t>(n));
  }
  if (!ok && saved_errno == EPIPE && !was_pending) {
    timespec zero{0, 0};
    while (sigtimedwait(&pipe_set, nullptr, &zero) < 0 && errno == EINTR) {
    }
  }
  pthread_sigmask(SIG_SETMASK, &old_mask, nullptr);
  errno = saved_errno;
  return ok;
}

}  // namespace ccmcp
