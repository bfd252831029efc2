// run_process and friends (from the images branch); ChildProcess is in process.cc.
#include "util/process.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <atomic>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <map>
#include <mutex>
#include <sstream>

#include "util/error.h"
#include "util/fs.h"
#include "util/unique_fd.h"

extern char** environ;

namespace ccmcp {

namespace {

struct Pipe {
  UniqueFd read, write;
};

Pipe make_pipe() {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0)
    throw Error(ErrorKind::io, "pipe", "cannot create: " + system_problem(errno));
  return {UniqueFd(fds[0]), UniqueFd(fds[1])};
}

// posix_spawn's C structures, destroyed whatever happens.
struct SpawnActions {
  posix_spawn_file_actions_t actions;
  SpawnActions() { posix_spawn_file_actions_init(&actions); }
  ~SpawnActions() { posix_spawn_file_actions_destroy(&actions); }
};
struct SpawnAttributes {
  posix_spawnattr_t attributes;
  SpawnAttributes() { posix_spawnattr_init(&attributes); }
  ~SpawnAttributes() { posix_spawnattr_destroy(&attributes); }
};

std::vector<std::string> merged_environment(const ProcessOptions& options) {
  std::map<std::string, std::string> vars;
  for (char** entry = environ; entry && *entry; ++entry) {
    std::string text = *entry;
    auto eq = text.find('=');
    if (eq != std::string::npos) vars[text.substr(0, eq)] = text.substr(eq + 1);
  }
  for (const auto& [key, value] : options.env) vars[key] = value;
  std::vector<std::string> out;
  for (const auto& [key, value] : vars) out.push_back(key + "=" + value);
  return out;
}

std::vector<char*> pointers(std::vector<std::string>& strings) {
  std::vector<char*> out;
  for (auto& s : strings) out.push_back(s.data());
  out.push_back(nullptr);
  return out;
}

// The process groups of the children being waited for (several threads may
// each run one): a Ctrl-C (or a kill) of cc-mcp ends them too, since each
// runs in a group of its own that the terminal's signal does not reach.
constexpr size_t kMaxChildren = 64;
std::array<std::atomic<pid_t>, kMaxChildren> g_child_groups{};
static_assert(std::atomic<pid_t>::is_always_lock_free, "used from a signal handler");

void end_children_and_die(int signal_number) {
  for (auto& group : g_child_groups)
    if (pid_t pid = group.load(); pid > 0) ::kill(-pid, SIGKILL);
  ::signal(signal_number, SIG_DFL);
  ::raise(signal_number);
}

// Registers one child's group; the first one in installs the handler (the
// handlers found are put back when the last one is gone).
class ChildGuard {
 public:
  explicit ChildGuard(pid_t group) {
    std::lock_guard lock(mutex_);
    for (auto& entry : g_child_groups) {
      pid_t free = 0;
      if (entry.compare_exchange_strong(free, group)) {
        slot_ = &entry;
        break;
      }
    }
    if (active_++ > 0) return;
    struct sigaction action {};
    action.sa_handler = end_children_and_die;
    sigemptyset(&action.sa_mask);
    for (size_t i = 0; i < kSignals.size(); ++i) ::sigaction(kSignals[i], &action, &saved_[i]);
  }
  ~ChildGuard() {
    std::lock_guard lock(mutex_);
    if (slot_) slot_->store(0);
    if (--active_ > 0) return;
    for (size_t i = 0; i < kSignals.size(); ++i) ::sigaction(kSignals[i], &saved_[i], nullptr);
  }
  ChildGuard(const ChildGuard&) = delete;
  ChildGuard& operator=(const ChildGuard&) = delete;

 private:
  static constexpr std::array<int, 3> kSignals = {SIGINT, SIGTERM, SIGHUP};
  static inline std::mutex mutex_;
  static inline int active_ = 0;
  static inline std::array<struct sigaction, 3> saved_{};
  std::atomic<pid_t>* slot_ = nullptr;
};

}  // namespace

ProcessResult run_process(const std::vector<std::string>& argv, const ProcessOptions& options) {
  if (argv.empty()) throw Error(ErrorKind::internal, "run_process", "no program given");
  Pipe out = make_pipe(), err = make_pipe();
  SpawnActions actions;
  posix_spawn_file_actions_addopen(&actions.actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&actions.actions, out.write.get(), 1);
  posix_spawn_file_actions_adddup2(&actions.actions, err.write.get(), 2);
  if (!options.cwd.empty())
    posix_spawn_file_actions_addchdir_np(&actions.actions, options.cwd.c_str());
  SpawnAttributes attributes;
  // Its own process group, so that a time-out kills its children too.
  posix_spawnattr_setflags(&attributes.attributes, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK);
  posix_spawnattr_setpgroup(&attributes.attributes, 0);
  sigset_t none;
  sigemptyset(&none);
  posix_spawnattr_setsigmask(&attributes.attributes, &none);

  std::vector<std::string> args = argv;
  std::vector<std::string> env = merged_environment(options);
  auto arg_pointers = pointers(args);
  auto env_pointers = pointers(env);
  pid_t pid = -1;
  int spawn_error = ::posix_spawnp(&pid, argv[0].c_str(), &actions.actions, &attributes.attributes,
                                   arg_pointers.data(), env_pointers.data());
  if (spawn_error != 0)
    throw Error(ErrorKind::not_found, quote(argv[0]),
                "cannot be started: " + system_problem(spawn_error));
  ChildGuard guard(pid);
  out.write.reset();
  err.write.reset();

  ProcessResult result;
  auto deadline = std::chrono::steady_clock::now() + options.timeout;
  pollfd fds[2] = {{out.read.get(), POLLIN, 0}, {err.read.get(), POLLIN, 0}};
  std::string* sinks[2] = {&result.out, &result.err};
  int open_streams = 2;
  char buffer[16384];
  while (open_streams > 0) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      result.timed_out = true;
      ::kill(-pid, SIGKILL);
      break;
    }
    int ready = ::poll(fds, 2, static_cast<int>(std::min<long long>(left.count(), 1000)));
    if (ready < 0 && errno != EINTR) break;
    for (int i = 0; i < 2; ++i) {
      if (fds[i].fd < 0 || !(fds[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
      ssize_t n = ::read(fds[i].fd, buffer, sizeof buffer);
      if (n > 0) {
        sinks[i]->append(buffer, static_cast<size_t>(n));
      } else if (n == 0 || errno != EINTR) {
        fds[i].fd = -1;
        --open_streams;
      }
    }
  }
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  // Whatever it left running in its group goes with it.
  ::kill(-pid, SIGKILL);
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return result;
}

bool program_exists(const std::string& name) {
  if (name.find('/') != std::string::npos) return ::access(name.c_str(), X_OK) == 0;
  const char* path = std::getenv("PATH");
  std::stringstream dirs(path ? path : "/usr/bin:/bin");
  for (std::string dir; std::getline(dirs, dir, ':');) {
    if (dir.empty()) continue;
    std::string candidate = dir + "/" + name;
    if (::access(candidate.c_str(), X_OK) == 0) return true;
  }
  return false;
}

std::vector<std::string> last_lines(const std::string& text, size_t count) {
  std::vector<std::string> lines;
  std::stringstream in(text);
  for (std::string line; std::getline(in, line);) {
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.pop_back();
    if (!line.empty()) lines.push_back(line);
  }
  if (lines.size() > count) lines.erase(lines.begin(), lines.end() - static_cast<long>(count));
  return lines;
}

}  // namespace ccmcp
