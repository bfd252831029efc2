// The audit log's volume: each server's bridge appends its audit file
// (src/bridge/audit_log.h) to a host folder of its own,
// $CC_MCP_HOME/audit/NAME/, which `cc-mcp audit` reads. A docker server
// gets it bind-mounted at a fixed path; an external server's bridge runs on
// the host and is given the host path itself.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "config/home.h"
#include "config/model.h"

namespace ccmcp::runtime {

inline constexpr const char* kAuditDirInContainer = "/var/log/cc-mcp";
inline constexpr const char* kAuditFileName = "audit.jsonl";
// How the image's bridge is told (its entrypoint, options and all, is the
// image's; its environment is the container's). The bridge takes it out of
// the server's environment.
inline constexpr const char* kAuditFileEnv = "CC_MCP_AUDIT_FILE";

std::filesystem::path audit_dir(const config::Home& home, const std::string& name);
std::filesystem::path audit_file(const config::Home& home, const std::string& name);

// The server as its container is made: when audited, its audit folder
// created (writable by the container's uid 1001) and added as a volume,
// and the bridge told where to write. Both go into the config hash, so that
// turning audit on or off recreates the container. Throws Error (io) when
// the folder cannot be made.
config::Server with_audit_volume(const config::Server& server, const config::Home& home);

// The bridge options of an external server (its bridge runs on the host as
// the user): none when not audited; the folder made private (0700).
std::vector<std::string> audit_bridge_options(const config::Server& server,
                                              const config::Home& home);

}  // namespace ccmcp::runtime
