// The mcp.json model: what the user wrote, checked and typed. Defaults are
// not filled in here (see effective.h) so that writes never add them.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace ccmcp::config {

enum class Mode { docker, external };
enum class SourceType { git, npm, local };
enum class UpdatePolicy { startup, manual, scheduled };

const char* to_string(Mode mode);
const char* to_string(SourceType type);
const char* to_string(UpdatePolicy policy);

using StringPairs = std::vector<std::pair<std::string, std::string>>;  // order kept

struct VolumeMount {
  std::string host_spec;       // as written, e.g. "./project"
  std::filesystem::path host;  // absolute, resolved against the folder of mcp.json
  std::string container;       // absolute path inside the container
  bool read_only = false;
};

struct Limits {
  std::optional<uint64_t> memory_bytes;
  std::optional<double> cpus;
  std::optional<uint32_t> pids;
};

struct Source {
  SourceType type = SourceType::npm;
  std::string repository;            // git
  std::string subpath;               // git: "path" inside the repository
  std::string branch, tag, commit;   // git: at most one
  std::string package;               // npm
  std::string version;               // npm: version, range or dist-tag
  std::filesystem::path local_path;  // local: absolute
  std::optional<UpdatePolicy> update_policy;
  std::optional<std::chrono::seconds> check_interval;
  std::string check_interval_text;  // as written, e.g. "24h"
};

struct DockerBuild {
  std::string image;
  std::optional<std::filesystem::path> dockerfile;  // absolute
  std::optional<std::filesystem::path> context;     // absolute
  std::string base_image;
  std::string builder_image;  // the stage that runs install scripts and builds
  StringPairs build_args;
  bool build_network = false;  // RUN steps may reach the network (off: hermetic)
};

// Where a docker-mode server's container may open connections (mcp.json
// "network"): nowhere (the default), only the allow-list's destinations
// through cc-mcp's egress proxy, or anywhere.
enum class NetworkAccess { none, allow, full };
const char* to_string(NetworkAccess access);

struct NetworkPolicy {
  NetworkAccess access = NetworkAccess::none;
  std::vector<std::string> allow;  // as written: "api.github.com:443", "*.example.com:443"
  bool written = false;            // "network" is in mcp.json
};

struct Server {
  std::string name;
  Mode mode = Mode::external;
  bool mode_explicit = false;
  bool disabled = false;
  std::string command;
  std::vector<std::string> args;
  StringPairs environment;
  std::string image;
  std::vector<VolumeMount> volumes;
  Limits limits;
  std::optional<Source> source;
  std::optional<DockerBuild> docker;
  NetworkPolicy network;
  std::optional<bool> audit;  // "audit": the bridge's log of tool calls (on unless false)

  bool enabled() const { return !disabled; }
  bool audited() const { return audit.value_or(true); }
};

struct Config {
  std::filesystem::path file;  // absolute path of mcp.json
  std::filesystem::path dir;   // its folder: relative paths resolve against it
  std::vector<Server> servers;

  const Server* find(std::string_view name) const;
  std::vector<std::string> names() const;
};

}  // namespace ccmcp::config
