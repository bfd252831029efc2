// What each configured server is doing: its container's state and restart
// count, CPU and memory, health from the bridge, URL, image version,
// uptime. The containers are looked at all at once, a thread each, so that
// twenty servers take about as long as one.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "config/model.h"
#include "docker/engine.h"
#include "net/http_client.h"
#include "runtime/state.h"

namespace ccmcp::runtime {

enum class RunState { running, stopped, restarting, unhealthy, starting };
const char* to_string(RunState state);

struct ServerStatus {
  std::string name;
  config::Mode mode = config::Mode::docker;
  bool enabled = true;
  RunState state = RunState::stopped;
  std::string detail;  // "exited (1)", "no container", "healthz 503", ...
  // Where it may connect: "none", "allow" (network_allow lists where), "full";
  // "host" for an external server (a host process reaches what its user can).
  std::string network;
  std::vector<std::string> network_allow;
  int restart_count = 0;
  std::optional<double> cpu_percent;
  std::optional<uint64_t> memory_usage, memory_limit;
  std::optional<int> port;
  std::string url;      // only while it serves
  std::string version;  // the image's version label
  std::string image;
  std::optional<std::chrono::seconds> uptime;
  std::string container_id;
  std::string stats_source;  // "cgroup" or "engine"
  // --deep
  std::optional<size_t> tools;
  std::string deep_problem;
};

struct StatusOptions {
  bool deep = false;
  // Between the two stats samples CPU % is measured over.
  std::chrono::milliseconds cpu_interval{500};
  std::chrono::milliseconds probe_timeout{std::chrono::seconds(10)};
};

// The docker-mode servers among `servers`, each looked at in its own thread.
// Throws Error when the engine cannot be reached.
std::vector<ServerStatus> docker_status(docker::Engine& engine, net::HttpClient& http,
                                        const std::vector<const config::Server*>& servers,
                                        const StateStore& state, const StatusOptions& options);

// The external-mode servers among `servers`: their supervisors, CPU and
// memory of their whole session from /proc, health from their bridges.
std::vector<ServerStatus> external_status(net::HttpClient& http,
                                          const std::vector<const config::Server*>& servers,
                                          const config::Home& home, const StatusOptions& options);

}  // namespace ccmcp::runtime
