#include "runtime/running.h"

#include <map>

#include "runtime/external.h"
#include "runtime/external_files.h"
#include "runtime/gateway.h"
#include "runtime/state.h"

namespace ccmcp::runtime {

namespace {

constexpr const char* kManagedLabel = "dev.cc-mcp.managed";
constexpr const char* kNameLabel = "dev.cc-mcp.name";

// The host port a list entry publishes for the bridge's 3000 on 127.0.0.1 (0: none).
int loopback_port_of(const docker::Json& item) {
  int published = 0;
  for (const auto& port : item.value("Ports", docker::Json::array()))
    if (port.value("PrivatePort", 0) == kContainerPort && port.value("IP", "") == "127.0.0.1")
      published = port.value("PublicPort", 0);
  return published;
}

struct Container {
  std::string id;
  int published_port = 0;  // for 3000 on 127.0.0.1
};

// The running containers cc-mcp made, by server name.
std::map<std::string, Container> running_containers(docker::Engine& engine) {
  docker::Json filters = {{"label", {std::string(kManagedLabel) + "=true"}},
                          {"status", {"running"}}};
  docker::Json list = engine.get("/containers/json?filters=" + docker::url_encode(filters.dump()));
  std::map<std::string, Container> found;
  std::map<std::string, int> gateway_ports;
  if (!list.is_array()) return found;
  for (const auto& item : list) {
    if (!item.is_object() || !item.contains("Labels") || !item["Labels"].is_object()) continue;
    const auto& labels = item["Labels"];
    auto name = labels.find(kNameLabel);
    if (name == labels.end() || !name->is_string()) continue;
    if (labels.contains(kLabelGateway)) {
      // The gateway publishes the port of a server behind it.
      if (int port = loopback_port_of(item)) gateway_ports[name->get<std::string>()] = port;
      continue;
    }
    found[name->get<std::string>()] = {item.value("Id", ""), loopback_port_of(item)};
  }
  for (auto& [name, container] : found)
    if (auto it = gateway_ports.find(name); it != gateway_ports.end() && !container.published_port)
      container.published_port = it->second;
  return found;
}

}  // namespace

std::vector<RunningServer> running_servers(docker::Engine& engine, const config::Config& config,
                                           const config::Home& home) {
  bool any_docker = false;
  for (const auto& server : config.servers) any_docker |= server.mode == config::Mode::docker;
  std::map<std::string, Container> containers;
  if (any_docker) containers = running_containers(engine);

  StateStore state(home);
  std::vector<RunningServer> running;
  for (const auto& server : config.servers) {
    RunningServer entry;
    entry.name = server.name;
    entry.mode = server.mode;
    auto port = state.port_of(server.name);
    if (server.mode == config::Mode::docker) {
      auto it = containers.find(server.name);
      if (it == containers.end()) continue;
      entry.container_id = it->second.id;
      entry.port = port.value_or(it->second.published_port);
    } else {
      if (!external::is_running(home, server.name)) continue;
      entry.pid =
          external::read_pid_file(external::paths_of(home, server.name).pid_file).value_or(0);
      entry.port = port.value_or(0);
    }
    if (entry.port) entry.url = server_url(entry.port);
    running.push_back(std::move(entry));
  }
  return running;
}

}  // namespace ccmcp::runtime
