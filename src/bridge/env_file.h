// --env-file (or $CC_MCP_ENV_FILE): the secret variables cc-mcp hands a
// container on a read-only tmpfs mount (secrets/env_file.h on the host),
//   {"env": {"VAR": "value"}, "redact": ["value", ...]}
// put into the bridge's own environment, which every server process it
// spawns inherits (per session and --shared alike), so they never appear in
// the container's Env. "redact" is what its log must not show.
#pragma once

#include <string>
#include <vector>

namespace ccmcp::bridge {

inline constexpr const char* kEnvFileVariable = "CC_MCP_ENV_FILE";

// Sets the variables; returns the values to redact. Throws
// std::runtime_error when the file cannot be read or is not that shape.
std::vector<std::string> load_env_file(const std::string& path);

// Sends everything written to stderr from now on (the bridge's lines and
// every child's, which inherit fd 2) through a pipe, and a thread writes
// each line to the real stderr with the values masked. Nothing when empty.
void redact_stderr(std::vector<std::string> values);

}  // namespace ccmcp::bridge
