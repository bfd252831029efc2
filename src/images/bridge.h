// The cc-mcp-bridge binary that goes into every image: $CC_MCP_BRIDGE, else
// the file of that name beside the running cc-mcp (/proc/self/exe; in the
// build tree both are in build/, installed both in one bin folder). It must
// be the static build: it runs in any base, Alpine or Debian or none. The
// sanitized cc-mcp-asan uses the same static cc-mcp-bridge.
#pragma once

#include <filesystem>
#include <string>

namespace ccmcp::images {

struct BridgeBinary {
  std::filesystem::path path;
  std::string digest;  // "sha256:<hex>" of the file
};

// Throws Error (build): not found, not executable, or dynamically linked.
BridgeBinary locate_bridge();

// Whether the ELF file at `path` needs a dynamic loader (has PT_INTERP).
// Throws Error (build) when it is not a 64-bit ELF executable.
bool is_dynamically_linked(const std::filesystem::path& path);

}  // namespace ccmcp::images
