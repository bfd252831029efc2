#include "runtime/external_files.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>

#include "util/error.h"
#include "util/fs.h"
#include "util/process.h"

namespace ccmcp::runtime::external {

namespace {

std::string read_all(int fd) {
  std::string text;
  char buffer[4096];
  for (ssize_t n; (n = ::read(fd, buffer, sizeof buffer)) > 0;)
    text.append(buffer, static_cast<size_t>(n));
  return text;
}

}  // namespace

namespace {

std::optional<pid_t> parse_pid_file(const std::filesystem::path& path) {
  UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd) return std::nullopt;
  std::string text = read_all(fd.get());
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
  long pid = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), pid);
  if (ec != std::errc() || end != text.data() + text.size() || pid <= 0) return std::nullopt;
  return static_cast<pid_t>(pid);
}

}  // namespace

std::optional<pid_t> read_pid_file(const std::filesystem::path& path) {
  // lock_pid_file takes the lock before it writes the pid: a locked file
  // without one is a supervisor a moment from writing it, not a missing pid.
  for (int attempt = 0; attempt < 100; ++attempt) {
    if (auto pid = parse_pid_file(path)) return pid;
    if (!pid_file_locked(path)) return std::nullopt;
    ::usleep(2000);
  }
  return std::nullopt;
}

bool pid_file_locked(const std::filesystem::path& path) {
  UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd) return false;
  if (::flock(fd.get(), LOCK_SH | LOCK_NB) == 0) {
    ::flock(fd.get(), LOCK_UN);
    return false;
  }
  return errno == EWOULDBLOCK;
}

UniqueFd lock_pid_file(const std::filesystem::path& path) {
  UniqueFd fd(::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600));
  if (!fd || ::flock(fd.get(), LOCK_EX | LOCK_NB) != 0) return {};
  std::string text = std::to_string(::getpid()) + "\n";
  if (::ftruncate(fd.get(), 0) != 0 || !write_all(fd.get(), text)) return {};
  return fd;
}

Json read_status_file(const std::filesystem::path& path) {
  UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd) return Json::object();
  Json status = Json::parse(read_all(fd.get()), nullptr, false);
  return status.is_object() ? status : Json::object();
}

void write_status_file(const std::filesystem::path& path, const Json& status) {
  write_file_atomically(path, path.string(), status.dump(2) + "\n", FileOwnership{0600});
}

void make_private_dir(const std::filesystem::path& dir) {
  std::error_code ec;
  if (std::filesystem::is_directory(dir, ec)) return;
  std::filesystem::create_directories(dir, ec);
  if (ec)
    throw Error(ErrorKind::io, dir.string(), "cannot create: " + system_problem(ec.value()),
                "check that $CC_MCP_HOME is writable");
  ::chmod(dir.c_str(), 0700);
}

std::string read_cmdline(pid_t pid) {
  UniqueFd fd(::open(("/proc/" + std::to_string(pid) + "/cmdline").c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd) return {};
  std::string text = read_all(fd.get());
  for (char& c : text)
    if (c == '\0') c = ' ';
  return text;
}

}  // namespace ccmcp::runtime::external
