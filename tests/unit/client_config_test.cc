#include "cli/client_config.h"

#include <gtest/gtest.h>

#include <cstdlib>

#include "util/error.h"

namespace ccmcp::cli {
namespace {

const std::string kUrl = "http://127.0.0.1:21001/mcp";

TEST(ClientEntry, EachClientsOwnShape) {
  DesktopLaunch launch{"/usr/local/bin/cc-mcp", "", ""};
  EXPECT_EQ(client_entry(ClientKind::claude_code, "fs", kUrl, launch),
            Json::parse(R"({"type": "http", "url": "http://127.0.0.1:21001/mcp"})"));
  EXPECT_EQ(client_entry(ClientKind::vscode, "fs", kUrl, launch),
            Json::parse(R"({"type": "http", "url": "http://127.0.0.1:21001/mcp"})"));
  EXPECT_EQ(client_entry(ClientKind::cursor, "fs", kUrl, launch),
            Json::parse(R"({"url": "http://127.0.0.1:21001/mcp"})"));
  EXPECT_EQ(client_entry(ClientKind::claude_desktop, "fs", kUrl, launch),
            Json::parse(R"({"command": "/usr/local/bin/cc-mcp", "args": ["connect", "fs"]})"));
  launch.config = "/p/mcp.json";
  launch.home = "/h";
  EXPECT_EQ(client_entry(ClientKind::claude_desktop, "fs", kUrl, launch),
            Json::parse(R"({"command": "/usr/local/bin/cc-mcp",
                            "args": ["--config", "/p/mcp.json", "connect", "fs"],
                            "env": {"CC_MCP_HOME": "/h"}})"));
  EXPECT_EQ(servers_key(ClientKind::vscode), std::string("servers"));
  EXPECT_EQ(parse_client("claude-desktop"), ClientKind::claude_desktop);
  EXPECT_FALSE(parse_client("claude"));
}

TEST(ClientFile, DefaultPlaces) {
  EXPECT_EQ(default_client_file(ClientKind::claude_code, "/p"), "/p/.mcp.json");
  EXPECT_EQ(default_client_file(ClientKind::cursor, "/p"), "/p/.cursor/mcp.json");
  EXPECT_EQ(default_client_file(ClientKind::vscode, "/p"), "/p/.vscode/mcp.json");
  ::setenv("XDG_CONFIG_HOME", "/x", 1);
  EXPECT_EQ(default_client_file(ClientKind::claude_desktop, "/p"),
            "/x/Claude/claude_desktop_config.json");
  ::unsetenv("XDG_CONFIG_HOME");
  const char* home = std::getenv("HOME");
  std::string saved = home ? home : "";
  ::setenv("HOME", "/home/me", 1);
  EXPECT_EQ(default_client_file(ClientKind::claude_desktop, "/p"),
            "/home/me/.config/Claude/claude_desktop_config.json");
  if (home)
    ::setenv("HOME", saved.c_str(), 1);
  else
    ::unsetenv("HOME");
}

TEST(MergeClientFile, OwnsOnlyWhatItWrote) {
  std::string before = R"({
  "mcpServers": {
    "mine": {"command": "x"},
    "old": {"type": "http", "url": "http://127.0.0.1:20000/mcp"},
    "fs": {"type": "http", "url": "http://127.0.0.1:29999/mcp"}
  },
  "keep": true
}
)";
  std::map<std::string, Json> entries = {
      {"fs", Json{{"type", "http"}, {"url", kUrl}}},
      {"new", Json{{"type", "http"}, {"url", "http://127.0.0.1:21002/mcp"}}}};
  auto merged = merge_client_file(before, ".mcp.json", ClientKind::claude_code, entries,
                                  {"old", "fs", "gone"});
  EXPECT_TRUE(merged.changed);
  EXPECT_EQ(merged.added, std::vector<std::string>{"new"});
  EXPECT_EQ(merged.updated, std::vector<std::string>{"fs"});
  EXPECT_EQ(merged.removed, std::vector<std::string>{"old"});
  Json after = Json::parse(merged.text);
  EXPECT_EQ(after["keep"], true);
  EXPECT_EQ(after["mcpServers"]["mine"], Json::parse(R"({"command": "x"})"));
  EXPECT_FALSE(after["mcpServers"].contains("old"));
  EXPECT_EQ(after["mcpServers"]["fs"]["url"], kUrl);
  // Merging the result again changes nothing.
  auto again =
      merge_client_file(merged.text, ".mcp.json", ClientKind::claude_code, entries, {"fs", "new"});
  EXPECT_FALSE(again.changed);
  EXPECT_EQ(again.text, merged.text);
  EXPECT_EQ(again.unchanged, (std::vector<std::string>{"fs", "new"}));
}

TEST(MergeClientFile, ANewFileAndNothingToWrite) {
  std::map<std::string, Json> entries = {{"fs", Json{{"url", kUrl}}}};
  auto created = merge_client_file(std::nullopt, "mcp.json", ClientKind::cursor, entries, {});
  EXPECT_TRUE(created.changed);
  EXPECT_EQ(created.text, "{\n  \"mcpServers\": {\n    \"fs\": {\n      \"url\": \"" + kUrl +
                              "\"\n    }\n  }\n}\n");
  auto nothing = merge_client_file(std::nullopt, "mcp.json", ClientKind::cursor, {}, {});
  EXPECT_FALSE(nothing.changed);
  auto untouched =
      merge_client_file(std::string("{\"other\": 1}"), "mcp.json", ClientKind::cursor, {}, {"fs"});
  EXPECT_FALSE(untouched.changed);
}

TEST(MergeClientFile, RefusesWhatItCannotMerge) {
  auto message = [](const std::string& text) {
    try {
      merge_client_file(text, "f.json", ClientKind::vscode, {}, {});
    } catch (const Error& error) {
      return error.message();
    }
    return std::string("no error");
  };
  EXPECT_EQ(message("{\"servers\": [1]}"),
            "f.json: its \"servers\" is not an object (fix it, or move it away; it was left as "
            "it was)");
  EXPECT_EQ(message("\"text\""),
            "f.json: does not hold a JSON object (fix it, or move it away; it was left as it was)");
  EXPECT_NE(message("{\"servers\": {,}}").find("f.json: is not valid JSON (line 1, column 14: "),
            std::string::npos)
      << message("{\"servers\": {,}}");
}

}  // namespace
}  // namespace ccmcp::cli
