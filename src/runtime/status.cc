#include "runtime/status.h"

#include <map>
#include <thread>

#include "config/effective.h"
#include "docker/containers.h"
#include "mcp/http_session.h"
#include "runtime/cgroup_stats.h"
#include "runtime/container_spec.h"
#include "runtime/containers.h"
#include "runtime/external.h"
#include "runtime/gateway.h"
#include "runtime/health.h"
#include "runtime/networks.h"
#include "runtime/stats.h"

namespace ccmcp::runtime {

using Clock = std::chrono::steady_clock;

const char* to_string(RunState state) {
  switch (state) {
    case RunState::running:
      return "running";
    case RunState::stopped:
      return "stopped";
    case RunState::restarting:
      return "restarting";
    case RunState::unhealthy:
      return "unhealthy";
    case RunState::starting:
      return "starting";
  }
  return "";
}

namespace {

// A container's first moments: no answer from the bridge yet is no fault.
constexpr std::chrono::seconds kStartingGrace{5};

// The bridge's /healthz (and with --deep one MCP session) of a running row.
void check_health(net::HttpClient& http, ServerStatus& row, const StatusOptions& options,
                  bool engine_says_unhealthy) {
  std::optional<int> health;
  if (row.port)
    health = healthz_status(http, BridgeAddress::tcp(*row.port), std::chrono::seconds(2));
  bool young = row.uptime && *row.uptime < kStartingGrace;
  if (engine_says_unhealthy || (health && *health != 200)) {
    row.state = RunState::unhealthy;
    row.detail = health && *health != 200 ? "healthz " + std::to_string(*health)
                                          : "docker healthcheck failing";
  } else if (!health) {
    row.state = young ? RunState::starting : RunState::unhealthy;
    row.detail = "no answer on port " + (row.port ? std::to_string(*row.port) : "?");
  }
  if (!row.port || row.state != RunState::running) return;
  row.url = server_url(*row.port);
  if (!options.deep) return;
  try {
    mcp::ProbeOptions probe;
    probe.timeout = options.probe_timeout;
    probe.subject = row.url;
    row.tools = mcp::probe(row.url, probe).tools.size();
  } catch (const Error& error) {
    row.deep_problem = error.problem();
  }
}

void look_at(docker::Engine& engine, net::HttpClient& http, ServerStatus& row,
             const StatusOptions& options) {
  auto inspect = docker::inspect_container(engine, row.container_id);
  if (!inspect) {
    row.state = RunState::stopped;
    row.detail = "no container";
    return;
  }
  const docker::Json& state = (*inspect)["State"];
  row.restart_count = inspect->value("RestartCount", 0);
  std::string status = state.value("Status", "");
  if (status == "restarting") {
    row.state = RunState::restarting;
    row.detail = "exit code " + std::to_string(state.value("ExitCode", 0));
    return;
  }
  if (status != "running") {
    row.state = RunState::stopped;
    row.detail =
        status + (status == "exited" ? " (" + std::to_string(state.value("ExitCode", 0)) + ")"
                                     : std::string());
    return;
  }
  row.state = RunState::running;
  if (auto started = docker::parse_engine_time(state.value("StartedAt", ""))) {
    auto up = std::chrono::system_clock::now() - *started;
    row.uptime =
        std::max(std::chrono::seconds(0), std::chrono::duration_cast<std::chrono::seconds>(up));
  }

  // CPU and memory: from the cgroup when it can be read here (at once),
  // else from the engine (which waits for its collector's tick).
  auto first_taken = Clock::now();
  auto cgroup = CgroupStats::find(state.value("Pid", 0), row.container_id);
  std::optional<CpuSample> first;
  std::optional<MemoryUse> memory;
  if (cgroup) {
    row.stats_source = "cgroup";
    first = cgroup->cpu();
    memory = cgroup->memory();
  } else {
    row.stats_source = "engine";
    docker::Json sample = docker::container_stats(engine, row.container_id);
    first = cpu_sample_of(sample);
    memory = memory_of(sample);
  }
  if (memory) {
    row.memory_usage = memory->usage;
    row.memory_limit = memory->limit;
  }

  // Health while the CPU interval runs.
  std::string docker_health;
  if (state.contains("Health") && state["Health"].is_object())
    docker_health = state["Health"].value("Status", "");
  check_health(http, row, options, docker_health == "unhealthy");

  std::this_thread::sleep_until(first_taken + options.cpu_interval);
  std::optional<CpuSample> second =
      cgroup ? cgroup->cpu() : cpu_sample_of(docker::container_stats(engine, row.container_id));
  if (first && second) row.cpu_percent = cpu_percent(*first, *second);
}

}  // namespace

std::vector<ServerStatus> docker_status(docker::Engine& engine, net::HttpClient& http,
                                        const std::vector<const config::Server*>& servers,
                                        const StateStore& state, const StatusOptions& options) {
  std::map<std::string, docker::Json> by_name;  // "mcp-NAME" -> its list entry
  for (auto& container : docker::list_containers(engine, {std::string(kLabelManaged) + "=true"})) {
    auto labels = docker::labels_of(container);
    if (container.contains("Names") && container["Names"].is_array())
      for (const auto& name : container["Names"])
        if (name.is_string()) by_name[name.get<std::string>().substr(1)] = container;
  }
  auto saved = state.load();
  const auto& ports = saved["servers"];

  std::vector<ServerStatus> rows;
  for (const auto* server : servers) {
    ServerStatus row;
    row.name = server->name;
    row.mode = server->mode;
    row.enabled = server->enabled();
    row.image = config::image_of(*server);
    row.network = config::to_string(server->network.access);
    row.network_allow = server->network.allow;
    if (auto entry = ports.find(server->name); entry != ports.end() && entry->is_object() &&
                                               entry->contains("port") &&
                                               (*entry)["port"].is_number_integer())
      row.port = (*entry)["port"].get<int>();
    auto found = by_name.find(config::container_name_of(*server));
    if (found == by_name.end()) {
      row.detail = "no container";
    } else {
      auto labels = docker::labels_of(found->second);
      if (labels[kLabelName] != server->name) {
        row.detail = "its container name is held by another server";
      } else {
        row.container_id = found->second.value("Id", "");
        row.version = labels[kLabelVersion];
        row.image = found->second.value("Image", row.image);
        // A lost state: the port its container (or its gateway) publishes for 3000.
        auto gateway = by_name.find(gateway_name_of(server->name));
        for (const docker::Json* entry :
             {&found->second, gateway == by_name.end() ? nullptr : &gateway->second}) {
          if (row.port || !entry || !entry->contains("Ports") || !(*entry)["Ports"].is_array())
            continue;
          for (const auto& port : (*entry)["Ports"])
            if (port.value("PrivatePort", 0) == kContainerPort && port.value("PublicPort", 0) > 0)
              row.port = port.value("PublicPort", 0);
        }
      }
    }
    rows.push_back(std::move(row));
  }

  std::vector<std::jthread> workers;
  for (auto& row : rows) {
    if (row.container_id.empty()) continue;
    workers.emplace_back([&engine, &http, &row, &options] {
      try {
        look_at(engine, http, row, options);
      } catch (const std::exception& error) {
        row.detail = error.what();
      }
    });
  }
  workers.clear();  // joins

  // A server behind a gateway is reached through it: a gateway that is not
  // running leaves a running server unreachable.
  for (size_t i = 0; i < rows.size(); ++i) {
    auto& row = rows[i];
    if (!needs_gateway(*servers[i]) || row.state == RunState::stopped ||
        row.state == RunState::restarting)
      continue;
    auto gateway = by_name.find(gateway_name_of(row.name));
    std::string gateway_state = gateway == by_name.end() ? "missing" : state_of(gateway->second);
    if (gateway_state == "running") continue;
    row.state = RunState::unhealthy;
    row.detail = "its gateway " + gateway_name_of(row.name) + " is " + gateway_state +
                 " (cc-mcp restart " + row.name + ")";
  }
  return rows;
}

std::vector<ServerStatus> external_status(net::HttpClient& http,
                                          const std::vector<const config::Server*>& servers,
                                          const config::Home& home, const StatusOptions& options) {
  std::vector<std::string> names;
  for (const auto* server : servers) names.push_back(server->name);
  auto supervised = external::statuses(home, names, options.cpu_interval);
  std::vector<ServerStatus> rows;
  for (size_t i = 0; i < servers.size(); ++i) {
    const external::Status& s = supervised[i];
    ServerStatus row;
    row.name = servers[i]->name;
    row.mode = config::Mode::external;
    row.network = "host";
    row.enabled = servers[i]->enabled();
    row.restart_count = s.restarts;
    row.detail = s.last_exit;
    if (s.port) row.port = s.port;
    if (!s.running) {
      row.state = RunState::stopped;
      if (row.detail.empty()) row.detail = "not running";
    } else if (s.restarting) {
      row.state = RunState::restarting;
    } else {
      row.state = RunState::running;
      row.cpu_percent = s.cpu_percent;
      row.memory_usage = s.rss_bytes;
      row.uptime = s.uptime();
      row.stats_source = "proc";
    }
    rows.push_back(std::move(row));
  }
  std::vector<std::jthread> workers;
  for (auto& row : rows)
    if (row.state == RunState::running)
      workers.emplace_back([&http, &row, &options] { check_health(http, row, options, false); });
  return rows;
}

}  // namespace ccmcp::runtime
