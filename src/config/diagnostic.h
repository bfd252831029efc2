// A problem found in mcp.json, with where it is.
#pragma once

#include <string>
#include <vector>

#include "config/jsonc.h"

namespace ccmcp::config {

enum class Severity { error, warning };

struct Diagnostic {
  Severity severity = Severity::error;
  std::string file;  // as shown to the user, e.g. "mcp.json"
  TextPos pos;
  std::string path;     // the key path, e.g. "mcpServers.fs.limits.memory"; empty for the file
  std::string problem;  // e.g. "\"512x\" is not a size"
  std::string hint;     // e.g. "use e.g. 512m or 1g"

  // "mcp.json:7:19: mcpServers.fs.limits.memory: \"512x\" is not a size (use e.g. 512m or 1g)"
  std::string format() const;
};

size_t count(const std::vector<Diagnostic>& diagnostics, Severity severity);

}  // namespace ccmcp::config
