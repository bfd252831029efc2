#include "config/store.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <thread>

#include "config/edit.h"
#include "util/fs.h"
#include "util/unique_fd.h"

namespace ccmcp::config {

namespace {

// Holds an exclusive flock on a folder for as long as it lives.
class FolderLock {
 public:
  FolderLock(const std::filesystem::path& dir, const std::string& display,
             std::chrono::milliseconds timeout)
      : fd_(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC)) {
    if (!fd_)
      throw Error(ErrorKind::io, display, "its folder cannot be opened: " + system_problem(errno));
    auto deadline = std::chrono::steady_clock::now() + timeout;
    auto pause = std::chrono::milliseconds(1);
    while (::flock(fd_.get(), LOCK_EX | LOCK_NB) != 0) {
      if (errno != EWOULDBLOCK && errno != EINTR)
        throw Error(ErrorKind::io, display, "cannot be locked: " + system_problem(errno));
      if (std::chrono::steady_clock::now() >= deadline)
        throw Error(ErrorKind::conflict, display,
                    "another cc-mcp has been changing it for more than " +
                        (timeout.count() % 1000 == 0 ? std::to_string(timeout.count() / 1000) + " s"
                                                     : std::to_string(timeout.count()) + " ms"),
                    "wait for it to finish, then try again");
      std::this_thread::sleep_for(pause);
      pause = std::min(pause * 2, std::chrono::milliseconds(50));
    }
  }
  // Closing the descriptor releases the lock.

 private:
  UniqueFd fd_;
};

}  // namespace

UpdateResult update_config(const ConfigLocation& location, const ConfigChange& change,
                           std::chrono::milliseconds lock_timeout) {
  std::error_code ec;
  std::filesystem::path target = std::filesystem::canonical(location.path, ec);
  if (ec) {
    // Let the read report it (missing, permission...) in its own words.
    (void)read_text_file(location.path, location.display, kMaxConfigBytes);
    target = location.path;
  }
  FolderLock lock(target.parent_path(), location.display, lock_timeout);

  std::string before = read_text_file(target, location.display, kMaxConfigBytes);
  LoadedConfig current = check_config_text(location, before);
  if (!current.validation.ok())
    throw InvalidConfig(location.display, current.validation.diagnostics);

  Json root = current.document->root;
  change(current, root);

  UpdateResult result;
  if (root == current.document->root) return result;

  RewriteResult rewritten = rewrite_keeping_layout(*current.document, root);
  LoadedConfig after = check_config_text(location, rewritten.text);
  if (!after.validation.ok()) {
    // Only the problems the change brought in are news to the user.
    std::vector<Diagnostic> errors;
    for (auto& d : after.validation.diagnostics)
      if (d.severity == Severity::error) errors.push_back(d);
    throw InvalidConfig(location.display, std::move(errors));
  }

  struct stat st {};
  if (::stat(target.c_str(), &st) != 0)
    throw Error(ErrorKind::io, location.display, system_problem(errno));
  if (::access(target.c_str(), W_OK) != 0)
    throw Error(ErrorKind::io, location.display, "is not writable: " + system_problem(errno),
                "check its permissions; it was left as it was");
  FileOwnership ownership{st.st_mode, st.st_uid, st.st_gid};
  std::filesystem::path backup = target;
  backup += ".bak";
  write_file_atomically(backup, location.display + ".bak", before, ownership);
  write_file_atomically(target, location.display, rewritten.text, ownership);

  result.changed = true;
  result.layout_kept = rewritten.layout_kept;
  result.comments_dropped = !rewritten.layout_kept && current.document->has_comments;
  result.backup = backup;
  for (auto& d : after.validation.diagnostics)
    if (d.severity == Severity::warning) result.warnings.push_back(d);
  return result;
}

}  // namespace ccmcp::config
