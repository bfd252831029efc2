#include "runtime/audit_volume.h"

#include <sys/stat.h>
#include <unistd.h>

#include "util/error.h"
#include "util/fs.h"

namespace ccmcp::runtime {

namespace fs = std::filesystem;

namespace {

constexpr uid_t kContainerUid = 1001;  // runtime::kContainerUser

void make_dir(const fs::path& dir) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec)
    throw Error(ErrorKind::io, dir.string(),
                "cannot create the audit folder: " + system_problem(ec.value()),
                "check that $CC_MCP_HOME is writable, or set \"audit\": false for the server");
}

// The container's user must create, append to and rename files here. Root
// hands the folder over; anyone else cannot, and opens it to all (the
// folder lies in $CC_MCP_HOME, which other users cannot enter unless its
// owner let them; the bind mount does not need them to).
void hand_to_container(const fs::path& dir) {
  if (::geteuid() == 0) {
    if (::chown(dir.c_str(), kContainerUid, kContainerUid) == 0) {
      ::chmod(dir.c_str(), 0750);
      return;
    }
  }
  ::chmod(dir.c_str(), 0777);
}

}  // namespace

fs::path audit_dir(const config::Home& home, const std::string& name) {
  return home.root / "audit" / name;
}

fs::path audit_file(const config::Home& home, const std::string& name) {
  return audit_dir(home, name) / kAuditFileName;
}

config::Server with_audit_volume(const config::Server& server, const config::Home& home) {
  if (!server.audited()) return server;
  fs::path dir = audit_dir(home, server.name);
  make_dir(dir);
  hand_to_container(dir);
  config::Server out = server;
  config::VolumeMount mount;
  mount.host_spec = dir.string();
  mount.host = dir;
  mount.container = kAuditDirInContainer;
  out.volumes.push_back(mount);
  out.environment.emplace_back(kAuditFileEnv,
                               std::string(kAuditDirInContainer) + "/" + kAuditFileName);
  return out;
}

std::vector<std::string> audit_bridge_options(const config::Server& server,
                                              const config::Home& home) {
  if (!server.audited()) return {};
  fs::path dir = audit_dir(home, server.name);
  make_dir(dir);
  ::chmod(dir.c_str(), 0700);
  return {"--audit-file", audit_file(home, server.name).string()};
}

}  // namespace ccmcp::runtime
