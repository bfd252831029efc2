// The commands of external servers, checked against this machine.
#include <cstdlib>

#include "config/validate.h"
#include "util/error.h"
#include "util/process.h"

namespace ccmcp::config {

std::optional<CommandProblem> find_command_problem(const Config& config, const Server& server) {
  std::string path_value;
  bool own_path = false;
  for (const auto& [key, value] : server.environment)
    if (key == "PATH") path_value = value, own_path = true;
  if (!own_path) {
    const char* env = std::getenv("PATH");
    path_value = env ? env : "/usr/local/bin:/usr/bin:/bin";
  }
  const std::string& command = server.command;
  bool has_slash = command.find('/') != std::string::npos;
  std::string where = command;
  if (has_slash && command.front() != '/')
    where = (config.dir / command).lexically_normal().string();
  if (find_on_path(where, path_value)) return std::nullopt;
  if (has_slash)
    return CommandProblem{"command " + quote(command) + " does not exist or is not executable",
                          "check the path; a relative one starts at the folder of mcp.json"};
  return CommandProblem{
      "command " + quote(command) + " not found on PATH" + (own_path ? " (its environment's)" : ""),
      "install it, or give its full path"};
}

std::vector<Diagnostic> check_host_commands(const JsoncDocument& doc, const Config& config,
                                            const std::string& display_name) {
  std::vector<Diagnostic> found;
  for (const auto& server : config.servers) {
    if (!server.enabled() || server.mode != Mode::external || server.command.empty()) continue;
    auto problem = find_command_problem(config, server);
    if (!problem) continue;
    JsonPath path{std::string("mcpServers"), server.name, std::string("command")};
    found.push_back({Severity::error, display_name, doc.pos_of(path), path_to_string(path),
                     problem->problem, problem->hint});
  }
  return found;
}

}  // namespace ccmcp::config
