// Phase-2 entries of mcp.json run a server with npx ("command": "npx",
// "args": ["-y", "@scope/pkg", "--flag"]). In docker mode cc-mcp builds
// that npm package instead; this reads the npx line apart.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace ccmcp::config {

struct NpxCommand {
  std::string package;            // "@scope/pkg"
  std::string version;            // "1.2.3", "^1", "latest" or "" (latest)
  std::string bin;                // the command of the package to run; "" = its own
  std::vector<std::string> args;  // what follows the package: the server's arguments
};

// Nothing when `command` is not npx or no package can be told from `args`.
std::optional<NpxCommand> parse_npx(const std::string& command,
                                    const std::vector<std::string>& args);

// "@scope/pkg@1.2" -> {"@scope/pkg", "1.2"}; "pkg" -> {"pkg", ""}.
std::pair<std::string, std::string> split_package_spec(const std::string& spec);

}  // namespace ccmcp::config
