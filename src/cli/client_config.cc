#include "cli/client_config.h"

#include <cstdlib>

#include "config/edit.h"
#include "util/error.h"

namespace ccmcp::cli {

std::optional<ClientKind> parse_client(const std::string& name) {
  for (size_t i = 0; i < std::size(kClientNames); ++i)
    if (name == kClientNames[i]) return static_cast<ClientKind>(i);
  return std::nullopt;
}

const char* client_name(ClientKind kind) {
  return kClientNames[static_cast<size_t>(kind)];
}

const char* servers_key(ClientKind kind) {
  return kind == ClientKind::vscode ? "servers" : "mcpServers";
}

Json client_entry(ClientKind kind, const std::string& name, const std::string& url,
                  const DesktopLaunch& launch) {
  switch (kind) {
    case ClientKind::claude_code:
    case ClientKind::vscode:
      return {{"type", "http"}, {"url", url}};
    case ClientKind::cursor:
      return {{"url", url}};
    case ClientKind::claude_desktop:
      break;
  }
  Json args = Json::array();
  if (!launch.config.empty()) args.insert(args.end(), {"--config", launch.config});
  args.insert(args.end(), {"connect", name});
  Json entry = {{"command", launch.program}, {"args", args}};
  if (!launch.home.empty()) entry["env"] = {{"CC_MCP_HOME", launch.home}};
  return entry;
}

std::filesystem::path default_client_file(ClientKind kind, const std::filesystem::path& project) {
  switch (kind) {
    case ClientKind::claude_code:
      return project / ".mcp.json";
    case ClientKind::cursor:
      return project / ".cursor" / "mcp.json";
    case ClientKind::vscode:
      return project / ".vscode" / "mcp.json";
    case ClientKind::claude_desktop:
      break;
  }
  std::filesystem::path config_home;
  if (const char* xdg = std::getenv("XDG_CONFIG_HOME"); xdg && *xdg && xdg[0] == '/')
    config_home = xdg;
  else if (const char* home = std::getenv("HOME"); home && *home)
    config_home = std::filesystem::path(home) / ".config";
  else
    config_home = "/root/.config";
  return config_home / "Claude" / "claude_desktop_config.json";
}

MergeResult merge_client_file(const std::optional<std::string>& existing,
                              const std::string& display, ClientKind kind,
                              const std::map<std::string, Json>& entries,
                              const std::vector<std::string>& owned_before) {
  const std::string key = servers_key(kind);
  std::optional<config::JsoncDocument> doc;
  Json root = Json::object();
  if (existing && existing->find_first_not_of(" \t\r\n") != std::string::npos) {
    auto parsed = config::parse_jsonc(*existing);
    if (auto* problem = std::get_if<config::ParseProblem>(&parsed))
      throw Error(ErrorKind::config, display,
                  "is not valid JSON (line " + std::to_string(problem->pos.line) + ", column " +
                      std::to_string(problem->pos.column) + ": " + problem->problem + ")",
                  (problem->hint.empty() ? std::string("fix it, or move it away") : problem->hint) +
                      "; it was left as it was");
    doc = std::move(std::get<config::JsoncDocument>(parsed));
    root = doc->root;
    if (!root.is_object())
      throw Error(ErrorKind::config, display, "does not hold a JSON object",
                  "fix it, or move it away; it was left as it was");
    if (root.contains(key) && !root[key].is_object())
      throw Error(ErrorKind::config, display, "its " + quote(key) + " is not an object",
                  "fix it, or move it away; it was left as it was");
  }
  Json target = root;
  if (!target.contains(key)) {
    if (entries.empty()) {  // nothing to write, nothing of ours to remove
      MergeResult same;
      same.text = existing.value_or("");
      return same;
    }
    target[key] = Json::object();
  }
  Json& servers = target[key];

  MergeResult result;
  for (const auto& name : owned_before)
    if (!entries.count(name) && servers.contains(name)) {
      servers.erase(name);
      result.removed.push_back(name);
    }
  for (const auto& [name, entry] : entries) {
    auto it = servers.find(name);
    if (it == servers.end())
      result.added.push_back(name);
    else if (*it == entry)
      result.unchanged.push_back(name);
    else
      result.updated.push_back(name);
    servers[name] = entry;
  }

  if (doc && target == root) {
    result.text = *existing;
    return result;
  }
  result.changed = true;
  if (doc) {
    config::RewriteResult rewritten = config::rewrite_keeping_layout(*doc, target);
    result.text = rewritten.text;
    result.layout_kept = rewritten.layout_kept;
  } else {
    result.text = target.dump(2) + "\n";
  }
  return result;
}

}  // namespace ccmcp::cli
