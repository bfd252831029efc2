// Finding and loading mcp.json.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "config/diagnostic.h"
#include "config/jsonc.h"
#include "config/validate.h"
#include "util/error.h"

namespace ccmcp::config {

inline constexpr uint64_t kMaxConfigBytes = 8ull << 20;

struct ConfigLocation {
  std::filesystem::path path;  // absolute
  std::string display;         // how messages name it: as the user gave it
};

// --config FILE, then $CC_MCP_CONFIG, then ./mcp.json, then
// $CC_MCP_HOME/mcp.json. An explicitly named file is returned even when it
// does not exist (reading it gives the error); with nothing named and
// nothing found, throws Error naming the places looked at.
ConfigLocation locate_config(const std::optional<std::string>& flag);
// As locate_config, but when nothing is named and nothing found, the file a
// first install creates: $CC_MCP_HOME/mcp.json.
ConfigLocation locate_config_or_default(const std::optional<std::string>& flag);

// The config could not be used: every diagnostic, the errors among them
// first in file order. Thrown by load_valid_config and by writes.
class InvalidConfig : public Error {
 public:
  InvalidConfig(const std::string& display, std::vector<Diagnostic> diagnostics);
  const std::vector<Diagnostic>& diagnostics() const { return diagnostics_; }

 private:
  std::vector<Diagnostic> diagnostics_;
};

struct LoadedConfig {
  ConfigLocation location;
  std::optional<JsoncDocument> document;  // empty when the text did not parse
  Validation validation;                  // holds the parse problem when there is one
};

// Reads, parses and checks. I/O problems throw Error; problems in the
// content are in validation.diagnostics.
LoadedConfig load_config(const ConfigLocation& location);
// Parses and checks text already read.
LoadedConfig check_config_text(const ConfigLocation& location, std::string text);
// As load_config, but throws InvalidConfig when there is any error.
LoadedConfig load_valid_config(const ConfigLocation& location);

}  // namespace ccmcp::config
