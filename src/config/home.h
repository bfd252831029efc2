// Where cc-mcp keeps what it learns at run time ($CC_MCP_HOME, default
// ~/.cc-mcp): never in mcp.json, which is the user's.
#pragma once

#include <filesystem>

namespace ccmcp::config {

struct Home {
  std::filesystem::path root;

  std::filesystem::path config_file() const { return root / "mcp.json"; }
  std::filesystem::path sources_dir() const { return root / "sources"; }
  std::filesystem::path state_dir() const { return root / "state"; }
  std::filesystem::path logs_dir() const { return root / "logs"; }
  std::filesystem::path lock_file() const { return root / "lock"; }
  // Pid and status files of supervised (external) servers.
  std::filesystem::path run_dir() const { return root / "run"; }
};

// $CC_MCP_HOME, else $HOME/.cc-mcp. Nothing is created here.
Home cc_mcp_home();

}  // namespace ccmcp::config
