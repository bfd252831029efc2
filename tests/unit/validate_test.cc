#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <optional>
#include <string>
#include <vector>

#include "config/effective.h"
#include "config/load.h"
#include "test_util.h"

namespace ccmcp::config {
namespace {

using ccmcp::testing::TempDir;
using ccmcp::testing::with_dir;

// One server named `name`; with "s", the body starts at line 3, column 10.
std::string server(const std::string& body, const std::string& name = "s") {
  return "{\n  \"mcpServers\": {\n    \"" + name + "\": " + body + "\n  }\n}\n";
}
// An external server; `rest` starts at column 27.
std::string ext(const std::string& rest) {
  return server("{\"command\": \"x\", " + rest + "}");
}
// A git source; `rest` starts at column 56. The source block is at column 21.
std::string git(const std::string& rest) {
  return server(R"({"source": {"type": "git", "repository": "r", )" + rest + "}}");
}
// A docker block; `rest` starts at column 40.
std::string dock(const std::string& rest) {
  return server(R"({"mode": "docker", "docker": {)" + rest + "}}");
}
std::string E(const std::string& line) {
  return "error: mcp.json:" + line;
}
std::string W(const std::string& line) {
  return "warning: mcp.json:" + line;
}

const std::string kName =
    " (use 1 to 63 characters of a-z, 0-9, '.', '_' and '-', starting with a letter or digit)";
const std::string kDockerNeeds =
    "a docker server needs an image or a source (add \"image\": \"...\" or a \"source\" block, "
    "or set \"mode\": \"external\")";
const std::string kSize = " is not a size (use e.g. 512m or 1g)";
const std::string kCpus = " is not a positive number of cpus (use e.g. 0.5 or 2)";
const std::string kContainer =
    " is not an absolute container path (write e.g. \"/workspace\" or \"/workspace:ro\")";
const std::string kDuration = " is not a duration (use e.g. 30m, 24h or 7d)";
const std::string kRelative = " (paths are relative to the folder of mcp.json)";
const std::string kNetwork =
    "(use \"none\" (the default), \"full\", or {\"allow\": [\"api.github.com:443\", ...]})";
const std::string kDestination =
    " is not a destination: host:port, *.domain:port, or host (its ports 443 and 80) (e.g. "
    "\"api.github.com:443\"; a port is from 1 to 65535)";

struct Case {
  const char* name;
  std::string text;
  std::vector<std::string> expected;  // "{dir}" is the folder of mcp.json
};

void PrintTo(const Case& c, std::ostream* os) {
  *os << c.name;
}

template <class... Lines>
Case C(const char* name, std::string text, Lines... lines) {
  return Case{name, std::move(text), {std::string(lines)...}};
}

class ValidateTest : public ::testing::Test {
 protected:
  LoadedConfig check(const std::string& text) {
    return check_config_text(ConfigLocation{dir.path() / "mcp.json", "mcp.json"}, text);
  }
  static std::vector<std::string> lines(const LoadedConfig& loaded) {
    std::vector<std::string> out;
    for (const auto& d : loaded.validation.diagnostics)
      out.push_back((d.severity == Severity::error ? "error: " : "warning: ") + d.format());
    return out;
  }
  const Server& only_server(const LoadedConfig& loaded) {
    EXPECT_EQ(loaded.validation.config.servers.size(), 1u);
    return loaded.validation.config.servers.at(0);
  }
  TempDir dir;
};

class ValidateTable : public ValidateTest, public ::testing::WithParamInterface<Case> {};

TEST_P(ValidateTable, GivesTheExactDiagnostics) {
  const Case& c = GetParam();
  std::vector<std::string> expected;
  for (const auto& line : c.expected) expected.push_back(with_dir(line, dir.path()));
  LoadedConfig loaded = check(c.text);
  EXPECT_EQ(lines(loaded), expected) << c.text;
  bool errors = std::any_of(expected.begin(), expected.end(),
                            [](const std::string& l) { return l.rfind("error:", 0) == 0; });
  EXPECT_EQ(loaded.validation.ok(), !errors);
}

INSTANTIATE_TEST_SUITE_P(
    Rules, ValidateTable,
    ::testing::Values(
        // Names
        C("name_uppercase", server(R"({"command": "x"})", "Bad"),
          E("3:5: mcpServers.Bad: server name \"Bad\" is not allowed" + kName)),
        C("name_leading_dash", server(R"({"command": "x"})", "-fs"),
          E("3:5: mcpServers[\"-fs\"]: server name \"-fs\" is not allowed" + kName)),
        C("name_64_chars", server(R"({"command": "x"})", std::string(64, 'a')),
          E("3:5: mcpServers." + std::string(64, 'a') + ": server name \"" + std::string(64, 'a') +
            "\" is not allowed" + kName)),
        C("name_with_space", server(R"({"command": "x"})", "my server"),
          E("3:5: mcpServers[\"my server\"]: server name \"my server\" is not allowed" + kName)),
        // Mode and what each mode needs
        C("mode_typo", server(R"({"mode": "dokcer", "image": "alpine"})"),
          E("3:19: mcpServers.s.mode: \"dokcer\" is not a mode (did you mean \"docker\"?)")),
        C("mode_unknown", server(R"({"mode": "podman", "command": "x"})"),
          E("3:19: mcpServers.s.mode: \"podman\" is not a mode (use \"docker\" or "
            "\"external\")")),
        C("mode_not_string", server(R"({"mode": 1, "command": "x"})"),
          E("3:19: mcpServers.s.mode: must be a string, not a number (quote it: \"1\")")),
        C("docker_without_image", server(R"({"mode": "docker"})"),
          E("3:10: mcpServers.s: " + kDockerNeeds)),
        C("docker_with_only_command", server(R"({"mode": "docker", "command": "npx"})"),
          E("3:10: mcpServers.s: " + kDockerNeeds)),
        C("external_without_command", server(R"({"mode": "external", "image": "alpine"})"),
          E("3:10: mcpServers.s: an external server needs a command (add \"command\": "
            "\"...\", or set \"mode\": \"docker\")")),
        C("nothing_to_run", server("{}"),
          E("3:10: mcpServers.s: nothing to run: no command, image or source (add "
            "\"command\" (and \"args\") to run it on the host, or \"image\" or a \"source\" "
            "block to run it in docker)")),
        C("server_not_object", server(R"("npx")"),
          E("3:10: mcpServers.s: must be an object, not a string")),
        // Command, args, flags
        C("command_empty", server(R"({"command": ""})"),
          E("3:22: mcpServers.s.command: must not be empty")),
        C("command_not_string", server(R"({"command": ["npx"]})"),
          E("3:22: mcpServers.s.command: must be a string, not an array")),
        C("args_not_array", ext(R"("args": "-y")"),
          E("3:35: mcpServers.s.args: must be an array of strings, not a string (write "
            "[\"--flag\", \"value\"])")),
        C("arg_not_string", ext(R"("args": ["a", 2])"),
          E("3:41: mcpServers.s.args[1]: must be a string, not a number (quote it: \"2\")")),
        C("disabled_not_bool", ext(R"("disabled": "yes")"),
          E("3:39: mcpServers.s.disabled: must be true or false, not a string")),
        C("audit_not_bool", ext(R"("audit": "off")"),
          E("3:36: mcpServers.s.audit: must be true or false, not a string (write false "
            "to turn the audit log off; leave it out to keep it on)")),
        C("enabled_contradicts", ext(R"("disabled": true, "enabled": true)"),
          E("3:56: mcpServers.s.enabled: contradicts \"disabled\" (keep only one of the "
            "two)")),
        C("remote_type", ext(R"("type": "sse")"),
          E("3:35: mcpServers.s.type: type \"sse\" is a remote server, which cc-mcp does not "
            "run (keep remote servers in your client's own config, or remove \"type\")")),
        // Environment
        C("env_bad_name", ext(R"("environment": {"1BAD": "x"})"),
          E("3:43: mcpServers.s.environment[\"1BAD\"]: \"1BAD\" is not a valid variable name "
            "(use letters, digits and '_', not starting with a digit)")),
        C("env_value_not_string", ext(R"("environment": {"N": 1})"),
          E("3:48: mcpServers.s.environment.N: must be a string, not a number (quote it: "
            "\"1\")")),
        C("env_not_object", ext(R"("env": ["A=1"])"),
          E("3:34: mcpServers.s.env: must be an object of strings, not an array")),
        C("env_and_environment", ext(R"("env": {}, "environment": {})"),
          E("3:27: mcpServers.s.env: both \"env\" and \"environment\" are set (keep one of "
            "them)")),
        C("image_uppercase", server(R"({"image": "Ubuntu"})"),
          E("3:20: mcpServers.s.image: \"Ubuntu\" is not a valid image reference (e.g. "
            "cc-mcp/filesystem:latest; repository names are lowercase)")),
        // Network
        C("network_unknown_word", server(R"({"image": "x/y", "network": "open"})"),
          E("3:38: mcpServers.s.network: \"open\" is not a network setting " + kNetwork)),
        C("network_number", server(R"({"image": "x/y", "network": 3})"),
          E("3:38: mcpServers.s.network: must be a string or an object, not a number " + kNetwork)),
        C("network_no_allow", server(R"({"image": "x/y", "network": {}})"),
          E("3:38: mcpServers.s.network: has no \"allow\" list " + kNetwork)),
        C("network_allow_not_list", server(R"({"image": "x/y", "network": {"allow": "a.com"}})"),
          E("3:48: mcpServers.s.network.allow: must be an array of strings, not a string (write "
            "[\"api.github.com:443\"])")),
        C("network_bad_rules",
          server(R"({"image": "x/y", "network": {"allow": ["a.com:99999", 7, "b c"]}})"),
          E("3:49: mcpServers.s.network.allow[0]: \"a.com:99999\"" + kDestination),
          E("3:64: mcpServers.s.network.allow[1]: must be a string, not a number (write "
            "\"host:port\", e.g. \"api.github.com:443\")"),
          E("3:67: mcpServers.s.network.allow[2]: \"b c\"" + kDestination)),
        C("network_on_an_external_server", ext(R"("network": "full")"),
          E("3:38: mcpServers.s.network: network rules apply to docker mode only (set "
            "\"mode\": \"docker\" so that they hold, or remove \"network\")")),
        C("network_typo_key", server(R"({"image": "x/y", "network": {"allow": [], "alow": []}})"),
          W("3:52: mcpServers.s.network.alow: unknown key \"alow\" (ignored; did you mean "
            "\"allow\"?)")),
        // Limits
        C("memory_not_size", ext(R"("limits": {"memory": "512x"})"),
          E("3:48: mcpServers.s.limits.memory: \"512x\"" + kSize)),
        C("memory_too_small", ext(R"("limits": {"memory": "1m"})"),
          E("3:48: mcpServers.s.limits.memory: \"1m\" is below Docker's minimum of 6m (use "
            "e.g. 128m or more)")),
        C("memory_fraction", ext(R"("limits": {"memory": 1.5})"),
          E("3:48: mcpServers.s.limits.memory: 1.5" + kSize)),
        C("memory_negative", ext(R"("limits": {"memory": -1})"),
          E("3:48: mcpServers.s.limits.memory: -1" + kSize)),
        C("cpus_zero", ext(R"("limits": {"cpus": "0"})"),
          E("3:46: mcpServers.s.limits.cpus: \"0\"" + kCpus)),
        C("cpus_negative", ext(R"("limits": {"cpus": -1})"),
          E("3:46: mcpServers.s.limits.cpus: -1" + kCpus)),
        C("pids_zero", ext(R"("limits": {"pids": 0})"),
          E("3:46: mcpServers.s.limits.pids: 0 is not a process count (use a whole number "
            "such as 256)")),
        C("limits_not_object", ext(R"("limits": "512m")"),
          E("3:37: mcpServers.s.limits: must be an object, not a string")),
        // Volumes
        C("volume_relative_target", ext(R"("volumes": {".": "data"})"),
          E("3:44: mcpServers.s.volumes[\".\"]: \"data\"" + kContainer)),
        C("volume_bad_suffix", ext(R"("volumes": {".": "/data:rx"})"),
          E("3:44: mcpServers.s.volumes[\".\"]: \"/data:rx\"" + kContainer)),
        C("volume_over_root", ext(R"("volumes": {".": "/"})"),
          E("3:44: mcpServers.s.volumes[\".\"]: cannot mount over the container's root "
            "(pick a folder such as /workspace)")),
        C("volume_empty_host", ext(R"("volumes": {"": "/data"})"),
          E("3:39: mcpServers.s.volumes[\"\"]: the host path is empty (use \".\" for the "
            "folder of mcp.json)")),
        C("volume_target_not_string", ext(R"("volumes": {".": 1})"),
          E("3:44: mcpServers.s.volumes[\".\"]: must be a container path string, not a "
            "number (write \"./data\": \"/data\" or \"/data:ro\")")),
        C("volumes_not_object", ext(R"("volumes": ".")"),
          E("3:38: mcpServers.s.volumes: must be an object of host path to container path, "
            "not a string (e.g. {\"./project\": \"/workspace\"})")),
        C("volume_item_without_colon", ext(R"("volumes": ["."])"),
          E("3:39: mcpServers.s.volumes[0]: must be a string \"HOST:CONTAINER[:ro]\" (e.g. "
            "\"./data:/data:ro\")")),
        C("volumes_same_target", ext(R"("volumes": {".": "/w", "/": "/w:ro"})"),
          E("3:55: mcpServers.s.volumes[\"/\"]: two volumes mount at \"/w\" (give each its "
            "own path)")),
        C("volume_host_missing", ext(R"("volumes": {"./nope": "/data"})"),
          W("3:39: mcpServers.s.volumes[\"./nope\"]: the host path \"{dir}/nope\" does not "
            "exist (create it before starting the server)")),
        // Sources
        C("source_type_missing", server(R"({"source": {"package": "x"}})"),
          E("3:21: mcpServers.s.source: \"type\" is missing")),
        C("source_type_typo", server(R"({"source": {"type": "gti"}})"),
          E("3:30: mcpServers.s.source.type: \"gti\" is not a source type (did you mean "
            "\"git\"?)")),
        C("source_type_unknown", server(R"({"source": {"type": "pypi"}})"),
          E("3:30: mcpServers.s.source.type: \"pypi\" is not a source type (use \"git\", "
            "\"npm\" or \"local\")")),
        C("git_without_repository", server(R"({"source": {"type": "git"}})"),
          E("3:21: mcpServers.s.source: \"repository\" is missing")),
        C("npm_without_package", server(R"({"source": {"type": "npm"}})"),
          E("3:21: mcpServers.s.source: \"package\" is missing")),
        C("local_without_path", server(R"({"source": {"type": "local"}})"),
          E("3:21: mcpServers.s.source: \"path\" is missing")),
        C("npm_bad_package", server(R"({"source": {"type": "npm", "package": "Bad"}})"),
          E("3:48: mcpServers.s.source.package: \"Bad\" is not an npm package name (e.g. "
            "@modelcontextprotocol/server-filesystem)")),
        C("local_folder_missing", server(R"({"source": {"type": "local", "path": "./nope"}})"),
          E("3:47: mcpServers.s.source.path: the folder \"{dir}/nope\" does not exist" +
            kRelative)),
        C("git_path_escapes", git(R"("path": "../x")"),
          E("3:64: mcpServers.s.source.path: \"../x\" leaves the repository (give a folder "
            "inside it, e.g. \"src/filesystem\")")),
        C("git_two_refs", git(R"("branch": "main", "tag": "v1")"),
          E("3:21: mcpServers.s.source: more than one of \"branch\", \"tag\" and \"commit\" "
            "(keep one of them)")),
        C("git_bad_commit", git(R"("commit": "xyz")"),
          E("3:66: mcpServers.s.source.commit: \"xyz\" is not a commit id (use 7 to 40 "
            "lowercase hex digits)")),
        C("update_policy_unknown", git(R"("updatePolicy": "daily")"),
          E("3:72: mcpServers.s.source.updatePolicy: \"daily\" is not an update policy (use "
            "\"startup\", \"manual\" or \"scheduled\")")),
        C("check_interval_words", git(R"("checkInterval": "soon")"),
          E("3:73: mcpServers.s.source.checkInterval: \"soon\"" + kDuration)),
        C("check_interval_zero", git(R"("checkInterval": "0m")"),
          E("3:73: mcpServers.s.source.checkInterval: \"0m\"" + kDuration)),
        C("check_interval_too_short", git(R"("checkInterval": "30s")"),
          E("3:73: mcpServers.s.source.checkInterval: \"30s\" is shorter than a minute "
            "(checking a source that often only loads its host; use e.g. 30m)")),
        C("source_not_object", server(R"({"source": "npm"})"),
          E("3:21: mcpServers.s.source: must be an object, not a string")),
        C("source_field_unused", git(R"("package": "x")"),
          W("3:56: mcpServers.s.source.package: \"package\" is not used by a git source "
            "(ignored)")),
        // Docker block
        C("docker_bad_image", dock(R"("image": "Node")"),
          E("3:49: mcpServers.s.docker.image: \"Node\" is not a valid image reference (e.g. "
            "node:20-alpine; repository names are lowercase)")),
        C("docker_dockerfile_missing", dock(R"("dockerfile": "./Dockerfile")"),
          E("3:54: mcpServers.s.docker.dockerfile: the file \"{dir}/Dockerfile\" does not "
            "exist" +
            kRelative)),
        C("docker_build_arg_not_string", dock(R"("image": "a", "buildArgs": {"V": 1})"),
          E("3:73: mcpServers.s.docker.buildArgs.V: must be a string, not a number (quote "
            "it: \"1\")")),
        C("docker_bad_builder_image", dock(R"("image": "a", "builderImage": "Node:18")"),
          E("3:70: mcpServers.s.docker.builderImage: \"Node:18\" is not a valid image reference "
            "(e.g. node:20-alpine; repository names are lowercase)")),
        C("docker_build_network_not_bool", dock(R"("image": "a", "buildNetwork": "yes")"),
          E("3:70: mcpServers.s.docker.buildNetwork: must be true or false, not a string")),
        C("docker_build_network_typo", dock(R"("image": "a", "buildNetwrok": true)"),
          W("3:54: mcpServers.s.docker.buildNetwrok: unknown key \"buildNetwrok\" (ignored; "
            "did you mean \"buildNetwork\"?)")),
        C("docker_context_alone", dock(R"("image": "a", "context": ".")"),
          W("3:54: mcpServers.s.docker.context: \"context\" is used only with \"dockerfile\" "
            "(ignored)")),
        // The file as a whole
        C("empty_file", "", E("1:1: the file is empty (start from {\"mcpServers\": {}})")),
        C("malformed", R"({"mcpServers": {,}})",
          E("1:17: expected a key in double quotes or '}' but found ','")),
        C("root_not_object", "[]",
          E("1:1: the file must hold an object, not an array (start from {\"mcpServers\": "
            "{}})")),
        C("servers_missing", "{}", E("1:1: \"mcpServers\" is missing (add \"mcpServers\": {})")),
        C("servers_not_object", R"({"mcpServers": []})",
          E("1:16: mcpServers: must be an object of servers by name, not an array")),
        C("duplicate_server",
          "{\"mcpServers\": {\n \"a\": {\"command\": \"x\"},\n \"a\": {\"command\": \"y\"}}}",
          E("3:2: duplicate key \"a\", first at line 2 (keep one of them)")),
        // Unknown keys: warnings, with a suggestion when one is near
        C("unknown_server_key", ext(R"("evironment": {})"),
          W("3:27: mcpServers.s.evironment: unknown key \"evironment\" (ignored; did you mean "
            "\"environment\"?)")),
        C("unknown_limits_key", ext(R"("limits": {"memroy": "1g"})"),
          W("3:38: mcpServers.s.limits.memroy: unknown key \"memroy\" (ignored; did you mean "
            "\"memory\"?)")),
        C("unknown_source_key", git(R"("branh": "main")"),
          W("3:56: mcpServers.s.source.branh: unknown key \"branh\" (ignored; did you mean "
            "\"branch\"?)")),
        C("unknown_root_key", R"({"mcpServers": {}, "verison": 1})",
          W("1:20: verison: unknown key \"verison\" (ignored)")),
        // Errors come before warnings, each group in file order
        C("errors_then_warnings", ext(R"("zzzzzz": 1, "limits": {"cpus": 0})"),
          E("3:59: mcpServers.s.limits.cpus: 0" + kCpus),
          W("3:27: mcpServers.s.zzzzzz: unknown key \"zzzzzz\" (ignored)"))),
    [](const auto& param_info) { return std::string(param_info.param.name); });

TEST_F(ValidateTest, ValidEntriesGiveNoDiagnostics) {
  std::filesystem::create_directory(dir / "srv");
  for (
      const std::string& text :
      {server(R"({"command": "x"})", std::string(63, 'a')),
       server(R"({"command": "x"})", "0.a_b-c"),
       ext(R"("limits": {"memory": "6m", "cpus": 0.5, "pids": 64}, "args": [], "env": {"_A": ""})"),
       ext(R"("volumes": [".:/data:ro", "/:/host"], "disabled": false, "enabled": true)"),
       git(R"("branch": "main", "path": "a/b", "updatePolicy": "scheduled", "checkInterval": "7d")"),
       git(R"("commit": "0123abc", "updatePolicy": "startup", "checkInterval": "1h30m")"),
       server(R"({"source": {"type": "local", "path": "srv", "updatePolicy": "manual"}})"),
       server(R"({"mode": "external", "command": "x", "type": "stdio"})"),
       std::string(R"({"$schema": "x", "mcpServers": {}})"),
       dock(R"("image": "node:20-alpine", "baseImage": "python:3.12-alpine", "buildArgs": {})"),
       dock(R"("image": "a", "builderImage": "cc-mcp/node-build:18", "buildNetwork": true)"),
       server(R"({"mode": "docker", "command": "npx", "args": ["-y", "@scope/pkg@1.2", "/x"]})")}) {
    EXPECT_EQ(lines(check(text)), std::vector<std::string>{}) << text;
  }
}

TEST_F(ValidateTest, AllProblemsAreReportedAtOnce) {
  auto loaded = check(R"({
  "mcpServers": {
    "Bad": {"command": "x"},
    "b": {"command": "x", "limits": {"memory": "512x"}},
    "c": {"mode": "docker"}
  }
})");
  EXPECT_EQ(lines(loaded), (std::vector<std::string>{
                               E("3:5: mcpServers.Bad: server name \"Bad\" is not allowed" + kName),
                               E("4:48: mcpServers.b.limits.memory: \"512x\"" + kSize),
                               E("5:10: mcpServers.c: " + kDockerNeeds)}));
  EXPECT_FALSE(loaded.validation.ok());
}

TEST_F(ValidateTest, UnknownKeysDoNotStopTheConfig) {
  auto loaded = check(ext(R"("comand": "y", "limits": {"memory": "1g", "swap": "2g"})"));
  EXPECT_TRUE(loaded.validation.ok());
  EXPECT_EQ(count(loaded.validation.diagnostics, Severity::warning), 2u);
  EXPECT_EQ(only_server(loaded).limits.memory_bytes, 1ull << 30);
}

TEST_F(ValidateTest, TheThreeSeedPhasesLoad) {
  std::filesystem::create_directory(dir / "project");
  auto loaded = check(R"(// one server of each phase
{
  "mcpServers": {
    "filesystem": {  // phase 3
      "mode": "docker",
      "volumes": { "./project": "/workspace" },
      "environment": { "MCP_MODE": "restricted" },
      "limits": { "memory": "512m", "cpus": "0.5" },
      "args": ["/workspace"],
      "source": { "type": "npm", "package": "@modelcontextprotocol/server-filesystem",
                  "updatePolicy": "startup", "checkInterval": "24h" }
    },
    /* phase 2 */ "memory": {
      "mode": "docker", "command": "npx", "args": ["-y", "@modelcontextprotocol/server-memory"],
      "docker": { "image": "cc-mcp/memory:latest" }
    },
    "everything": { "command": "npx", "args": ["-y", "@modelcontextprotocol/server-everything"] }
  }
})");
  EXPECT_EQ(lines(loaded), std::vector<std::string>{});
  const Config& config = loaded.validation.config;
  ASSERT_EQ(config.names(), (std::vector<std::string>{"filesystem", "memory", "everything"}));
  const Server& fs = *config.find("filesystem");
  EXPECT_EQ(fs.mode, Mode::docker);
  ASSERT_TRUE(fs.source.has_value());
  EXPECT_EQ(fs.source->type, SourceType::npm);
  EXPECT_EQ(fs.source->update_policy, UpdatePolicy::startup);
  EXPECT_EQ(fs.source->check_interval, std::chrono::hours(24));
  EXPECT_EQ(fs.limits.cpus, 0.5);
  EXPECT_EQ(fs.environment, (StringPairs{{"MCP_MODE", "restricted"}}));
  const Server& memory = *config.find("memory");
  EXPECT_EQ(memory.mode, Mode::docker);
  EXPECT_EQ(memory.command, "npx");
  EXPECT_EQ(image_of(memory), "cc-mcp/memory:latest");
  const Server& everything = *config.find("everything");
  EXPECT_EQ(everything.mode, Mode::external);
  EXPECT_FALSE(everything.mode_explicit);
  EXPECT_EQ(everything.args.size(), 2u);
  EXPECT_TRUE(everything.enabled());

  Json eff = effective_json(everything);
  EXPECT_EQ(eff["limits"]["memory"], "512m");
  EXPECT_EQ(eff["limits"]["pids"], 256);
  EXPECT_EQ(eff["defaults"], Json::parse(R"(["mode", "limits.memory", "limits.cpus",
                                             "limits.pids", "audit"])"));
  EXPECT_EQ(eff["audit"], true);
  Json fs_eff = effective_json(fs);
  EXPECT_EQ(fs_eff["limits"]["memory"], "512m");
  EXPECT_EQ(fs_eff["image"], "cc-mcp/filesystem:latest");
  EXPECT_EQ(fs_eff["container"], "mcp-filesystem");
  EXPECT_EQ(fs_eff["source"]["version"], "latest");
  EXPECT_EQ(fs_eff["network"], "none");
  EXPECT_EQ(fs_eff["defaults"],
            Json::parse(R"(["image", "network", "limits.pids", "audit", "source.version"])"));
  EXPECT_EQ(fs_eff["volumes"][0]["host"], (dir / "project").string());
}

struct HomeGuard {  // sets $HOME for one test
  explicit HomeGuard(const std::string& home) { ::setenv("HOME", home.c_str(), 1); }
  ~HomeGuard() { old ? ::setenv("HOME", old->c_str(), 1) : ::unsetenv("HOME"); }
  std::optional<std::string> old =
      std::getenv("HOME") ? std::optional<std::string>(std::getenv("HOME")) : std::nullopt;
};

TEST_F(ValidateTest, VolumeHostPathsResolveAgainstTheFolderOfMcpJson) {
  for (const char* sub : {"project", "home", "home/data", "abs"})
    std::filesystem::create_directory(dir / sub);
  HomeGuard home((dir / "home").string());
  auto loaded = check(ext(with_dir(R"("volumes": {"./project": "/a", "project/": "/b:ro",
    "x/../project": "/c:rw", "~/data": "/d", "~": "/e", "{dir}/abs": "/f:ro", ".": "/g",
    "missing": "/h"})",
                                   dir.path())));
  EXPECT_TRUE(loaded.validation.ok());
  EXPECT_EQ(lines(loaded), std::vector<std::string>{
                               with_dir(W("5:5: mcpServers.s.volumes.missing: the host path "
                                          "\"{dir}/missing\" does not exist (create it before "
                                          "starting the server)"),
                                        dir.path())});
  std::string got;
  for (const auto& v : only_server(loaded).volumes)
    got += v.host_spec + " -> " + v.host.string() + " -> " + v.container +
           (v.read_only ? " ro\n" : "\n");
  EXPECT_EQ(got, with_dir(R"(./project -> {dir}/project -> /a
project/ -> {dir}/project -> /b ro
x/../project -> {dir}/project -> /c
~/data -> {dir}/home/data -> /d
~ -> {dir}/home -> /e
{dir}/abs -> {dir}/abs -> /f ro
. -> {dir} -> /g
missing -> {dir}/missing -> /h
)",
                          dir.path()));
}

TEST_F(ValidateTest, LocalSourceResolvesAgainstTheFolderOfMcpJson) {
  std::filesystem::create_directories(dir / "servers" / "mine");
  auto loaded = check(server(R"({"source": {"type": "local", "path": "./servers/mine/"}})"));
  EXPECT_EQ(lines(loaded), std::vector<std::string>{});
  const Server& s = only_server(loaded);
  EXPECT_EQ(s.mode, Mode::docker);
  EXPECT_EQ(s.source->local_path, dir / "servers" / "mine");
  std::filesystem::remove(dir / "servers" / "mine");
  EXPECT_FALSE(
      check(server(R"({"source": {"type": "local", "path": "./servers/mine/"}})")).validation.ok());
}

TEST_F(ValidateTest, BuildKeysReachTheModel) {
  auto loaded = check(dock(R"("image": "a", "builderImage": "b:1", "buildNetwork": true)"));
  const auto& docker = *only_server(loaded).docker;
  EXPECT_EQ(docker.builder_image, "b:1");
  EXPECT_TRUE(docker.build_network);
  auto plain = check(dock(R"("image": "a")"));
  EXPECT_FALSE(only_server(plain).docker->build_network);
}

}  // namespace
}  // namespace ccmcp::config

namespace ccmcp::config {
namespace {

// The machine's side of `config validate`: commands of enabled external
// servers must be found.
class HostCommandsTest : public ::testing::Test {
 protected:
  std::vector<std::string> check(const std::string& text) {
    auto loaded = check_config_text(ConfigLocation{dir.path() / "mcp.json", "mcp.json"}, text);
    EXPECT_TRUE(loaded.validation.ok());
    std::vector<std::string> out;
    for (const auto& d :
         check_host_commands(*loaded.document, loaded.validation.config, "mcp.json"))
      out.push_back((d.severity == Severity::error ? "error: " : "warning: ") + d.format());
    return out;
  }
  TempDir dir;
};

TEST_F(HostCommandsTest, AnEnabledExternalServerNeedsItsCommand) {
  using V = std::vector<std::string>;
  EXPECT_EQ(check(R"({"mcpServers": {
  "github": {"command": "cc-mcp-no-such-npx", "args": ["x"]},
  "ok": {"command": "sh"},
  "off": {"command": "cc-mcp-no-such-npx", "disabled": true},
  "docked": {"mode": "docker", "command": "cc-mcp-no-such-npx", "image": "a/b:1"},
  "path": {"command": "./bin/server"},
  "own": {"command": "sh", "env": {"PATH": "/nonexistent"}}
}})"),
            (V{"error: mcp.json:2:25: mcpServers.github.command: command \"cc-mcp-no-such-npx\" "
               "not found on PATH (install it, or give its full path)",
               "error: mcp.json:6:23: mcpServers.path.command: command \"./bin/server\" does not "
               "exist or is not executable (check the path; a relative one starts at the folder "
               "of mcp.json)",
               "error: mcp.json:7:22: mcpServers.own.command: command \"sh\" not found on PATH "
               "(its environment's) (install it, or give its full path)"}));
  std::filesystem::create_directories(dir / "bin");
  testing::write_file(dir / "bin" / "server", "#!/bin/sh\n");
  ::chmod((dir / "bin" / "server").c_str(), 0755);
  EXPECT_EQ(check(R"({"mcpServers": {"path": {"command": "./bin/server"},
  "own": {"command": "server", "env": {"PATH": ")" +
                  (dir / "bin").string() + R"("}}}})"),
            V{});
}

}  // namespace
}  // namespace ccmcp::config
