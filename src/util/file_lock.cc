#include "util/file_lock.h"

#include <fcntl.h>
#include <sys/file.h>

#include <cerrno>
#include <thread>

#include "util/error.h"
#include "util/fs.h"

namespace ccmcp {

FileLock::FileLock(const std::filesystem::path& file, std::chrono::milliseconds timeout,
                   const std::string& holder) {
  std::error_code ec;
  std::filesystem::create_directories(file.parent_path(), ec);
  if (ec)
    throw Error(ErrorKind::io, file.parent_path().string(),
                "cannot create the folder: " + system_problem(ec.value()),
                "check that $CC_MCP_HOME is writable");
  fd_.reset(::open(file.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600));
  if (!fd_)
    throw Error(ErrorKind::io, file.string(), "cannot open: " + system_problem(errno),
                "check that $CC_MCP_HOME is writable");
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (::flock(fd_.get(), LOCK_EX | LOCK_NB) != 0) {
    if (errno != EWOULDBLOCK && errno != EINTR)
      throw Error(ErrorKind::io, file.string(), "cannot lock: " + system_problem(errno));
    if (std::chrono::steady_clock::now() >= deadline)
      throw Error(ErrorKind::conflict, file.string(), holder + " holds its lock",
                  "wait for it to finish, or find it with: fuser " + file.string());
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

}  // namespace ccmcp
