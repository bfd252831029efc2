#include "secrets/env_file.h"

#include <linux/magic.h>
#include <sodium.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>

#include <nlohmann/json.hpp>

#include "util/error.h"
#include "util/fs.h"
#include "util/sha256.h"

namespace ccmcp::secrets {

namespace fs = std::filesystem;

namespace {

constexpr uid_t kContainerUid = 1001;

void make_private_dirs(const fs::path& dir) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec)
    throw Error(ErrorKind::io, dir.string(),
                "cannot create the folder: " + system_problem(ec.value()),
                "check that the folder is writable (a tmpfs: /run, $XDG_RUNTIME_DIR or /dev/shm)");
  // /dev/shm is shared by every user: a folder someone else made there
  // (or a symlink) would hand them the values.
  struct stat info {};
  if (::lstat(dir.c_str(), &info) != 0 || !S_ISDIR(info.st_mode) || info.st_uid != ::geteuid())
    throw Error(ErrorKind::io, dir.string(), "is not a folder of this user",
                "remove it; cc-mcp makes it again, private");
  if (::chmod(dir.c_str(), 0700) != 0)
    throw Error(ErrorKind::io, dir.string(), "cannot make it private: " + system_problem(errno));
}

}  // namespace

namespace {

// Memory, not a disk: the values must not outlive the machine's uptime.
bool is_tmpfs(const fs::path& dir) {
  struct statfs info {};
  return ::statfs(dir.c_str(), &info) == 0 &&
         (info.f_type == TMPFS_MAGIC || info.f_type == RAMFS_MAGIC);
}

}  // namespace

fs::path runtime_secrets_root(const config::Home& home) {
  // /run and $XDG_RUNTIME_DIR are tmpfs on a usual host, not always in a
  // container; /dev/shm is the fallback.
  fs::path base = "/dev/shm/cc-mcp-" + std::to_string(::geteuid());
  const char* runtime = std::getenv("XDG_RUNTIME_DIR");
  if (::geteuid() == 0 && is_tmpfs("/run"))
    base = "/run/cc-mcp";
  else if (::geteuid() != 0 && runtime && *runtime && is_tmpfs(runtime))
    base = fs::path(runtime) / "cc-mcp";
  Sha256 digest;
  digest.update(home.root.string());
  return base / digest.hex_digest().substr(0, 12);
}

fs::path env_file_of(const config::Home& home, const std::string& server) {
  return runtime_secrets_root(home) / server / "secrets.json";
}

fs::path write_env_file(const config::Home& home, const std::string& server,
                        const ResolvedEnvironment& environment) {
  fs::path file = env_file_of(home, server);
  fs::path root = runtime_secrets_root(home);
  for (const fs::path& dir : {root.parent_path(), root, file.parent_path()}) make_private_dirs(dir);
  nlohmann::json env = nlohmann::json::object();
  for (const auto& [name, value] : environment.secret) env[name] = value;
  nlohmann::json body = {{"env", env}, {"redact", environment.values}};
  std::string text = body.dump();
  FileOwnership ownership{0644};
  if (::geteuid() == 0) ownership = {0400, kContainerUid, kContainerUid};
  write_file_atomically(file, file.string(), text, ownership);
  ::sodium_memzero(text.data(), text.size());
  return file;
}

bool remove_env_file(const config::Home& home, const std::string& server) {
  fs::path file = env_file_of(home, server);
  std::error_code ec;
  bool removed = fs::remove(file, ec);
  fs::remove(file.parent_path(), ec);
  fs::remove(file.parent_path().parent_path(), ec);  // only when it was the last one
  return removed;
}

}  // namespace ccmcp::secrets
