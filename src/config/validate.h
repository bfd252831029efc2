// Checks a parsed mcp.json against the rules of the model and builds the
// typed Config. Every problem is collected, none stops the check, so the
// user sees them all at once.
#pragma once

#include <filesystem>
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

}  // namespace ccmcp::config
