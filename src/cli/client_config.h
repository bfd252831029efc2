// The MCP configurations of the clients `cc-mcp client` writes for:
//
//   claude-code     PROJECT/.mcp.json          {"mcpServers": {N: {"type": "http", "url": U}}}
//   cursor          PROJECT/.cursor/mcp.json   {"mcpServers": {N: {"url": U}}}
//   vscode          PROJECT/.vscode/mcp.json   {"servers": {N: {"type": "http", "url": U}}}
//   claude-desktop  ~/.config/Claude/claude_desktop_config.json (stdio only)
//                   {"mcpServers": {N: {"command": CC_MCP, "args": ["connect", N]}}}
//
// and the merge into a file the user keeps: every key and entry cc-mcp does
// not own stays as it is (comments and layout too), entries it wrote before
// and that no longer run go, the file is refused if it is not JSON.
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "config/jsonc.h"

namespace ccmcp::cli {

using config::Json;

enum class ClientKind { claude_code, cursor, vscode, claude_desktop };

inline constexpr const char* kClientNames[] = {"claude-code", "cursor", "vscode", "claude-desktop"};

std::optional<ClientKind> parse_client(const std::string& name);
const char* client_name(ClientKind kind);
// "mcpServers", or "servers" for VS Code.
const char* servers_key(ClientKind kind);

// How Claude Desktop starts cc-mcp: the program and what it must be told
// (Claude Desktop runs it from its own folder, with its own environment).
struct DesktopLaunch {
  std::string program;  // absolute path of cc-mcp
  std::string config;   // absolute mcp.json, when not $CC_MCP_HOME/mcp.json
  std::string home;     // $CC_MCP_HOME, when set
};

// The entry of one server.
Json client_entry(ClientKind kind, const std::string& name, const std::string& url,
                  const DesktopLaunch& launch);

// The file the client reads: in `project`, or Claude Desktop's own
// ($XDG_CONFIG_HOME/Claude/claude_desktop_config.json, else ~/.config/...).
std::filesystem::path default_client_file(ClientKind kind, const std::filesystem::path& project);

struct MergeResult {
  std::string text;  // the new content
  bool changed = false;
  bool layout_kept = true;
  std::vector<std::string> added, updated, removed, unchanged;
};

// Merges `entries` (by server name) into `existing` (nullopt: no file yet),
// removing the names of `owned_before` that are not in `entries`. Throws
// Error (config) naming `display` when the file is not a JSON object or its
// servers key is not an object.
MergeResult merge_client_file(const std::optional<std::string>& existing,
                              const std::string& display, ClientKind kind,
                              const std::map<std::string, Json>& entries,
                              const std::vector<std::string>& owned_before);

}  // namespace ccmcp::cli
