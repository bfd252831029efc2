// The file that hands a container its secret variables: on a host tmpfs
// (never on disk), bind-mounted read-only at kEnvFileInContainer, read by the
// bridge (--env-file, or $CC_MCP_ENV_FILE) into the server's environment.
// So the values are in neither the container's Env (docker inspect), the
// image nor mcp.json. Gone after a reboot: the next `cc-mcp start` writes it.
//
//   {"env": {"VAR": "value", ...}, "redact": ["secret", ...]}
//
// "redact" are the secret values themselves (a variable may hold one inside
// a longer value): what the bridge masks in the lines it logs.
#pragma once

#include <filesystem>
#include <string>

#include "config/home.h"
#include "secrets/resolve.h"

namespace ccmcp::secrets {

inline constexpr const char* kEnvFileInContainer = "/run/cc-mcp/secrets.json";
inline constexpr const char* kEnvFileVariable = "CC_MCP_ENV_FILE";

// Root: /run/cc-mcp; else $XDG_RUNTIME_DIR/cc-mcp; either only where it is
// a tmpfs, else /dev/shm/cc-mcp-UID. Then a folder per $CC_MCP_HOME (two
// homes, two sets of files).
std::filesystem::path runtime_secrets_root(const config::Home& home);
std::filesystem::path env_file_of(const config::Home& home, const std::string& server);

// Writes the server's file (folders 0700; the file owned by the container's
// uid 1001 and 0400 as root, else 0644) atomically; returns its path.
std::filesystem::path write_env_file(const config::Home& home, const std::string& server,
                                     const ResolvedEnvironment& environment);

// Removes the server's file and folder; false when there was none.
bool remove_env_file(const config::Home& home, const std::string& server);

}  // namespace ccmcp::secrets
