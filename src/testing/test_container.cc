#include "testing/test_container.h"

#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <fstream>
#include <map>
#include <mutex>
#include <random>
#include <sstream>
#include <thread>

#include "config/home.h"
#include "docker/containers.h"
#include "images/dockerfile.h"
#include "runtime/proc_stats.h"
#include "runtime/secret_handoff.h"
#include "util/error.h"

namespace ccmcp::tester {

namespace fs = std::filesystem;
using Json = nlohmann::json;

namespace {

constexpr const char* kScratchPrefix = "cc-mcp-test-";
constexpr const char* kLabelScratch = "dev.cc-mcp.test.scratch";
// A volume larger than this is bound read-only instead of copied.
constexpr uintmax_t kMaxCopyBytes = 64u << 20;
constexpr size_t kMaxCopyEntries = 20000;

// The containers alive in this process, for InterruptCleanup: id -> scratch.
std::mutex live_mutex;
std::map<std::string, std::pair<std::string, fs::path>> live;  // id -> (name, scratch)

std::string read_first_line(const fs::path& path) {
  std::ifstream in(path);
  std::string line;
  std::getline(in, line);
  return line;
}

// When the process started (field 22 of /proc/PID/stat, clock ticks since
// boot); with the boot id it names a process even after its pid is reused.
// Empty when there is no such process.
std::string start_time_of(const std::string& pid) {
  char* end = nullptr;
  long number = std::strtol(pid.c_str(), &end, 10);
  if (pid.empty() || *end != '\0' || number <= 0) return {};
  auto stat = runtime::read_proc_stat(static_cast<pid_t>(number));
  return stat ? std::to_string(stat->start_ticks) : std::string{};
}

std::string boot_id() {
  return read_first_line("/proc/sys/kernel/random/boot_id");
}

std::string owner_label() {
  std::string pid = std::to_string(::getpid());
  return boot_id() + " " + pid + " " + start_time_of(pid);
}

std::string random_suffix() {
  std::random_device device;
  std::uniform_int_distribution<uint32_t> pick;
  char buffer[16];
  std::snprintf(buffer, sizeof buffer, "%08x", pick(device));
  return buffer;
}

fs::path make_scratch() {
  std::string pattern = (fs::temp_directory_path() / (std::string(kScratchPrefix) + "XXXXXX"));
  if (!::mkdtemp(pattern.data()))
    throw Error(ErrorKind::io, fs::temp_directory_path().string(),
                "cannot make a scratch folder for the test: " + std::string(std::strerror(errno)),
                "check that it is writable (or set TMPDIR)");
  return pattern;
}

// A folder the container's user (uid 1001) may write in: the bridge makes
// its socket there.
void make_writable_for_container(const fs::path& dir) {
  fs::create_directories(dir);
  if (::geteuid() == 0 && ::chown(dir.c_str(), 1001, 1001) == 0) return;
  // Not root: the folder is private anyway, inside our 0700 scratch folder.
  fs::permissions(dir, fs::perms::all);
}

// The size of a tree, stopping once it is over the limits.
bool small_enough_to_copy(const fs::path& root) {
  std::error_code ec;
  if (!fs::is_directory(root, ec)) return fs::file_size(root, ec) <= kMaxCopyBytes;
  uintmax_t bytes = 0;
  size_t entries = 0;
  for (auto it = fs::recursive_directory_iterator(
           root, fs::directory_options::skip_permission_denied, ec);
       !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (++entries > kMaxCopyEntries) return false;
    if (it->is_regular_file(ec) && !it->is_symlink(ec)) bytes += it->file_size(ec);
    if (bytes > kMaxCopyBytes) return false;
  }
  return !ec;
}

// Copies keeping modes (fs::copy makes folders through the umask) and, when
// we are root, owners: the server's user may write exactly where it could in
// the original, no more.
bool copy_tree(const fs::path& from, const fs::path& to) {
  std::error_code ec;
  fs::copy(from, to, fs::copy_options::recursive | fs::copy_options::copy_symlinks, ec);
  if (ec) return false;
  bool root = ::geteuid() == 0;
  auto keep_attributes = [root](const fs::path& source, const fs::path& target) {
    struct stat st {};
    if (::lstat(source.c_str(), &st) != 0) return;
    if (root) (void)::lchown(target.c_str(), st.st_uid, st.st_gid);
    if (!S_ISLNK(st.st_mode)) (void)::chmod(target.c_str(), st.st_mode & 07777);
  };
  keep_attributes(from, to);
  if (fs::is_directory(from, ec))
    for (auto it = fs::recursive_directory_iterator(from, ec);
         !ec && it != fs::recursive_directory_iterator(); it.increment(ec))
      keep_attributes(it->path(), to / fs::relative(it->path(), from, ec));
  return true;
}

Json bind_list(const TestContainerRequest& request, const fs::path& scratch,
               std::vector<std::string>& notes) {
  Json binds = Json::array();
  binds.push_back((scratch / "sock").string() + ":" + kSocketDirInContainer);
  size_t index = 0;
  for (const auto& volume : request.server.volumes) {
    std::string target = volume.host_spec + " -> " + volume.container;
    fs::path copy = scratch / "volumes" / std::to_string(index++);
    std::error_code ec;
    if (!fs::exists(volume.host, ec))
      throw Error(ErrorKind::config, quote(request.server.name),
                  "the volume's host path " + quote(volume.host.string()) + " does not exist",
                  "create it, or fix \"volumes\" in mcp.json");
    if (!volume.read_only && small_enough_to_copy(volume.host)) {
      fs::create_directories(copy.parent_path());
      if (copy_tree(volume.host, copy)) {
        binds.push_back(copy.string() + ":" + volume.container);
        notes.push_back(target + ": a throw-away copy");
        continue;
      }
    }
    binds.push_back(volume.host.string() + ":" + volume.container + ":ro");
    notes.push_back(target + (volume.read_only ? ": read-only, as configured"
                                               : ": bound read-only (too big to copy)"));
  }
  return binds;
}

void forget(const std::string& id) {
  std::lock_guard<std::mutex> lock(live_mutex);
  live.erase(id);
}

void remove_scratch(const fs::path& scratch) {
  if (scratch.empty() || scratch.filename().string().rfind(kScratchPrefix, 0) != 0) return;
  std::error_code ec;
  fs::remove_all(scratch, ec);
}

}  // namespace

std::string test_container_name(const std::string& name) {
  std::string safe;
  for (char c : name) {
    bool ok = std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.' || c == '-';
    safe += ok ? c : '-';
  }
  while (!safe.empty() && !std::isalnum(static_cast<unsigned char>(safe.front()))) safe.erase(0, 1);
  if (safe.size() > 40) safe.resize(40);
  if (safe.empty()) safe = "image";
  return "mcp-test-" + safe + "-" + random_suffix();
}

std::vector<std::string> socket_entrypoint(const std::vector<std::string>& entrypoint,
                                           const std::string& image) {
  auto dashes = std::find(entrypoint.begin(), entrypoint.end(), "--");
  if (entrypoint.empty() || fs::path(entrypoint.front()).filename() != "cc-mcp-bridge" ||
      dashes == entrypoint.end())
    throw Error(ErrorKind::runtime, "image " + quote(image),
                "its entrypoint is not cc-mcp-bridge (" +
                    (entrypoint.empty() ? std::string("none") : quote(entrypoint.front())) +
                    "), so it cannot be reached in a container without a network",
                "build it with cc-mcp (cc-mcp build NAME), which puts the bridge in front");
  std::vector<std::string> out(entrypoint.begin(), dashes);
  out.push_back("--unix");
  out.push_back(std::string(kSocketDirInContainer) + "/" + kSocketName);
  out.insert(out.end(), dashes, entrypoint.end());
  return out;
}

TestContainer::TestContainer(docker::Engine& engine, std::string name, fs::path scratch)
    : engine_(engine), name_(std::move(name)), scratch_(std::move(scratch)) {}

std::unique_ptr<TestContainer> TestContainer::start(docker::Engine& engine,
                                                    const TestContainerRequest& request) {
  auto entrypoint = socket_entrypoint(request.image_entrypoint, request.image.reference);
  std::unique_ptr<TestContainer> container(
      new TestContainer(engine, test_container_name(request.server.name), make_scratch()));
  make_writable_for_container(container->scratch_ / "sock");

  // The contract's body, then what a test changes: no port, no restart, no
  // network, its own labels and mounts.
  // The server's secrets the way its real container gets them (the file's
  // mount is in the spec's Mounts, which a test keeps).
  auto secrets = runtime::hand_off_secrets(config::cc_mcp_home(), request.server);
  runtime::ContainerSpec spec =
      runtime::make_container_spec(request.server, request.image, request.args,
                                   runtime::kContainerPort, {}, secrets ? &*secrets : nullptr);
  Json body = spec.body;
  body["Entrypoint"] = entrypoint;
  body["Cmd"] = request.args;
  body.erase("ExposedPorts");
  Json& host = body["HostConfig"];
  host.erase("PortBindings");
  host["RestartPolicy"] = {{"Name", "no"}};
  container->network_ = request.network ? "bridge" : "none";
  host["NetworkMode"] = container->network_;
  host["Binds"] = bind_list(request, container->scratch_, container->volume_notes_);
  host["LogConfig"] = {{"Type", "json-file"}, {"Config", {{"max-size", "1m"}, {"max-file", "1"}}}};
  body["Labels"] = {{kLabelTest, "true"},
                    {runtime::kLabelName, request.server.name},
                    {runtime::kLabelVersion, request.image.version},
                    {kLabelTestOwner, owner_label()},
                    {kLabelScratch, container->scratch_.string()}};

  container->id_ = docker::create_container(engine, container->name_, body);
  {
    std::lock_guard<std::mutex> lock(live_mutex);
    live[container->id_] = {container->name_, container->scratch_};
  }
  docker::start_container(engine, container->id_);
  return container;
}

TestContainer::~TestContainer() {
  remove();
}

std::string TestContainer::socket_path() const {
  return (scratch_ / "sock" / kSocketName).string();
}

void TestContainer::remove() noexcept {
  if (removed_) return;
  removed_ = true;
  try {
    if (!id_.empty()) docker::remove_container(engine_, id_, true);
  } catch (...) {
    // The next run's sweep takes it; a test result must not be lost to it.
  }
  if (!id_.empty()) forget(id_);
  remove_scratch(scratch_);
}

std::vector<std::string> sweep_stale_test_containers(docker::Engine& engine) {
  std::vector<std::string> removed;
  std::string boot = boot_id();
  for (const auto& container :
       docker::list_containers(engine, {std::string(kLabelTest) + "=true"})) {
    auto labels = docker::labels_of(container);
    std::istringstream owner(labels[kLabelTestOwner]);
    std::string owner_boot, pid, started;
    owner >> owner_boot >> pid >> started;
    bool stale;
    if (owner_boot == boot && !pid.empty()) {
      stale = start_time_of(pid) != started;  // gone, or the pid is another process now
    } else {
      // Another boot (or another machine on a shared engine): only when old.
      auto created = container.value("Created", int64_t{0});
      stale = created > 0 && std::time(nullptr) - created > 600;
    }
    if (!stale) continue;
    std::string id = container.value("Id", "");
    std::string name = id;
    if (container.contains("Names") && container["Names"].is_array() && !container["Names"].empty())
      name = container["Names"][0].get<std::string>();
    if (!name.empty() && name.front() == '/') name.erase(0, 1);
    docker::remove_container(engine, id, true);
    if (owner_boot == boot) remove_scratch(labels[kLabelScratch]);
    removed.push_back(name);
  }
  return removed;
}

struct InterruptCleanup::State {
  sigset_t signals{};
  sigset_t previous{};
  std::atomic<bool> stop{false};
  std::thread waiter;
};

InterruptCleanup::InterruptCleanup() : state_(std::make_unique<State>()) {
  sigemptyset(&state_->signals);
  for (int signal_number : {SIGINT, SIGTERM, SIGHUP}) sigaddset(&state_->signals, signal_number);
  pthread_sigmask(SIG_BLOCK, &state_->signals, &state_->previous);
  State* state = state_.get();
  state->waiter = std::thread([state] {
    while (!state->stop) {
      timespec pause{0, 100'000'000};
      int signal_number = sigtimedwait(&state->signals, nullptr, &pause);
      if (signal_number <= 0) continue;
      std::map<std::string, std::pair<std::string, fs::path>> doomed;
      {
        std::lock_guard<std::mutex> lock(live_mutex);
        doomed = live;
      }
      if (!doomed.empty()) {
        try {
          docker::Engine engine = docker::Engine::from_environment();
          for (const auto& [id, entry] : doomed) {
            docker::remove_container(engine, id, true);
            remove_scratch(entry.second);
            std::fprintf(stderr, "cc-mcp: interrupted: removed the test container %s\n",
                         entry.first.c_str());
          }
        } catch (const Error& error) {
          std::fprintf(stderr, "cc-mcp: interrupted: %s\n", error.message().c_str());
        }
      }
      // Die of the signal, as the shell expects (exit status 128 + N).
      ::signal(signal_number, SIG_DFL);
      sigset_t just_this;
      sigemptyset(&just_this);
      sigaddset(&just_this, signal_number);
      pthread_sigmask(SIG_UNBLOCK, &just_this, nullptr);
      ::kill(::getpid(), signal_number);
      std::this_thread::sleep_for(std::chrono::seconds(5));
      std::_Exit(128 + signal_number);
    }
  });
}

InterruptCleanup::~InterruptCleanup() {
  state_->stop = true;
  state_->waiter.join();
  // A signal that came after the waiter stopped is still pending: unblocking
  // delivers it with its previous meaning.
  pthread_sigmask(SIG_SETMASK, &state_->previous, nullptr);
}

}  // namespace ccmcp::tester
