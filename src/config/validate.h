// Checks a parsed mcp.json against the rules of the model and builds the
// typed Config. Every problem is collected, none stops the check, so the
// user sees them all at once.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "config/diagnostic.h"
#include "config/jsonc.h"
#include "config/model.h"

namespace ccmcp::config {

struct Validation {
  Config config;
  std::vector<Diagnostic> diagnostics;

  bool ok() const { return count(diagnostics, Severity::error) == 0; }
};

// `file` is the absolute path of mcp.json (relative paths in it resolve
// against its folder); `display_name` is how messages name the file.
Validation validate(const JsoncDocument& doc, const std::filesystem::path& file,
                    const std::string& display_name);

// Why an external server's command cannot run on this machine, or nullopt
// when it can: not on PATH (the server's own PATH when its environment sets
// one), or a path that is not an executable file (a relative one with a '/'
// starts at the folder of mcp.json, where the server runs).
struct CommandProblem {
  std::string problem;  // "command \"npx\" not found on PATH"
  std::string hint;     // "install it, or give its full path"
};
std::optional<CommandProblem> find_command_problem(const Config& config, const Server& server);

// The machine's side of `config validate`: an error for each enabled
// external server whose command cannot run here. Kept out of validate(),
// which every command runs: `list` or `disable` must work on a machine
// where a command is missing (disabling it is one way out).
std::vector<Diagnostic> check_host_commands(const JsoncDocument& doc, const Config& config,
                                            const std::string& display_name);

}  // namespace ccmcp::config
