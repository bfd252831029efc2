#include "util/fs.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "util/error.h"
#include "util/unique_fd.h"

namespace ccmcp {

std::string system_problem(int error_number) {
  switch (error_number) {
    case ENOENT:
      return "does not exist";
    case EACCES:
    case EPERM:
      return "permission denied";
    case EISDIR:
      return "is a folder, not a file";
    case ENOSPC:
      return "the disk is full";
    case EDQUOT:
      return "the disk quota is used up";
    case EROFS:
      return "is on a read-only file system";
    default:
      break;
  }
  std::string text = std::strerror(error_number);
  if (!text.empty()) text[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(text[0])));
  return text;
}

std::string read_text_file(const std::filesystem::path& path, const std::string& display,
                           uint64_t max_bytes) {
  // O_NONBLOCK: a FIFO or device named as mcp.json must not hang us; it is
  // refused below as not a regular file.
  UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK));
  if (!fd) {
    int err = errno;
    throw Error(err == ENOENT ? ErrorKind::not_found : ErrorKind::io, display, system_problem(err),
                err == EACCES ? "check its permissions" : std::string{});
  }
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0) throw Error(ErrorKind::io, display, system_problem(errno));
  if (S_ISDIR(st.st_mode))
    throw Error(ErrorKind::io, display, "is a folder, not a file",
                "pass the file itself, e.g. --config " + (path / "mcp.json").string());
  if (!S_ISREG(st.st_mode))
    throw Error(ErrorKind::io, display, "is not a regular file", "pass an mcp.json file");
  if (static_cast<uint64_t>(st.st_size) > max_bytes)
    throw Error(
        ErrorKind::io, display,
        "is " + std::to_string((static_cast<uint64_t>(st.st_size) + (1ull << 20) - 1) >> 20) +
            " MiB, more than the " + std::to_string(max_bytes >> 20) + " MiB a config may have",
        "is this the right file?");
  std::string content;
  content.resize(static_cast<size_t>(st.st_size));
  size_t done = 0;
  while (done < content.size()) {
    ssize_t n = ::read(fd.get(), content.data() + done, content.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) throw Error(ErrorKind::io, display, system_problem(errno));
    if (n == 0) break;  // shrank while we read
    done += static_cast<size_t>(n);
  }
  content.resize(done);
  return content;
}

void write_file_atomically(const std::filesystem::path& path, const std::string& display,
                           const std::string& content, const FileOwnership& ownership) {
  std::filesystem::path dir = path.parent_path();
  std::string temp = (dir / ("." + path.filename().string() + ".XXXXXX")).string();
  UniqueFd fd(::mkostemp(temp.data(), O_CLOEXEC));
  if (!fd) {
    int err = errno;
    throw Error(ErrorKind::io, display, "cannot write in its folder: " + system_problem(err),
                err == EACCES ? "check the folder's permissions" : std::string{});
  }
  auto fail = [&](int err) {
    ::unlink(temp.c_str());
    throw Error(ErrorKind::io, display, "cannot be written: " + system_problem(err),
                err == ENOSPC ? "free some space; the file was left as it was"
                              : "the file was left as it was");
  };
  size_t done = 0;
  while (done < content.size()) {
    ssize_t n = ::write(fd.get(), content.data() + done, content.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) fail(errno);
    done += static_cast<size_t>(n);
  }
  if (::fchmod(fd.get(), ownership.mode & 07777) != 0) fail(errno);
  if (ownership.uid != static_cast<uid_t>(-1) && ::geteuid() == 0)
    (void)::fchown(fd.get(), ownership.uid, ownership.gid);  // best effort: keep the owner
  if (::fsync(fd.get()) != 0) fail(errno);
  if (::close(fd.release()) != 0) fail(errno);
  if (::rename(temp.c_str(), path.c_str()) != 0) fail(errno);
  // Make the rename itself durable.
  UniqueFd dir_fd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (dir_fd) (void)::fsync(dir_fd.get());
}

}  // namespace ccmcp
