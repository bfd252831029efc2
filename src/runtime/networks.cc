#include "runtime/networks.h"

#include "docker/containers.h"
#include "runtime/container_spec.h"
#include "util/error.h"

namespace ccmcp::runtime {

namespace {

using Json = docker::Json;

std::string network_path(const std::string& name) {
  return "/networks/" + docker::url_encode(name);
}

// The network as the engine inspects it, or nullopt; throws for one that is
// not cc-mcp's (or is another server's).
std::optional<Json> find_network(docker::Engine& engine, const std::string& network,
                                 const std::string& server) {
  auto found = engine.get_if_exists(network_path(network), "network " + quote(network));
  if (!found) return std::nullopt;
  Json labels = found->value("Labels", Json::object());
  if (!labels.is_object()) labels = Json::object();
  if (labels.value(kLabelManaged, "") != "true" || labels.value(kLabelName, "") != server)
    throw Error(ErrorKind::conflict, quote(server.empty() ? network : server),
                "a Docker network named " + quote(network) +
                    " exists that cc-mcp did not make for it; it was left alone",
                "remove it yourself (docker network rm " + network +
                    ") if nothing needs it, or rename the server in mcp.json");
  return found;
}

void create_network(docker::Engine& engine, const std::string& network, const std::string& server,
                    bool internal, bool icc) {
  Json body = {{"Name", network},
               {"Driver", "bridge"},
               {"CheckDuplicate", true},
               {"Internal", internal},
               {"Labels", {{kLabelManaged, "true"}, {kLabelName, server}}}};
  if (!icc) body["Options"] = {{"com.docker.network.bridge.enable_icc", "false"}};
  try {
    engine.post("/networks/create", body, "network " + quote(network));
  } catch (const docker::EngineError& error) {
    if (error.problem().find("non-overlapping") == std::string::npos &&
        error.problem().find("address pool") == std::string::npos)
      throw;
    throw Error(ErrorKind::engine, "network " + quote(network),
                "Docker has no address range left for another network (" + error.problem() + ")",
                "remove networks nothing uses (docker network prune), or give Docker more: "
                "\"default-address-pools\" with size 24 in /etc/docker/daemon.json");
  }
}

void disconnect_all(docker::Engine& engine, const std::string& network, const Json& inspect) {
  Json containers = inspect.value("Containers", Json::object());
  if (!containers.is_object()) return;
  for (const auto& entry : containers.items())
    engine.post(network_path(network) + "/disconnect",
                {{"Container", entry.key()}, {"Force", true}}, "network " + quote(network));
}

}  // namespace

std::string network_name_of(const std::string& server) {
  return "cc-mcp-" + server;
}

bool needs_gateway(const config::Server& server) {
  return server.network.access != config::NetworkAccess::full;
}

void ensure_server_network(docker::Engine& engine, const config::Server& server) {
  std::string network = network_name_of(server.name);
  bool internal = needs_gateway(server);
  if (auto found = find_network(engine, network, server.name)) {
    if (found->value("Internal", false) == internal) return;
    disconnect_all(engine, network, *found);
    engine.del(network_path(network), "network " + quote(network));
  }
  create_network(engine, network, server.name, internal, /*icc=*/true);
}

void ensure_edge_network(docker::Engine& engine) {
  if (find_network(engine, kEdgeNetwork, "")) return;
  try {
    create_network(engine, kEdgeNetwork, "", /*internal=*/false, /*icc=*/false);
  } catch (const docker::EngineError& error) {
    // Another cc-mcp made it at the same moment.
    if (error.status() != 409 && !find_network(engine, kEdgeNetwork, "")) throw;
  }
}

void ensure_connected(docker::Engine& engine, const std::string& container,
                      const std::string& network, const std::string& alias) {
  auto inspect = docker::inspect_container(engine, container);
  if (inspect && inspect->contains("NetworkSettings") &&
      (*inspect)["NetworkSettings"].value("Networks", Json::object()).contains(network))
    return;
  Json body = {{"Container", container}};
  if (!alias.empty()) body["EndpointConfig"] = {{"Aliases", {alias}}};
  engine.post(network_path(network) + "/connect", body, "network " + quote(network));
}

bool remove_server_network(docker::Engine& engine, const std::string& server) {
  std::string network = network_name_of(server);
  std::optional<Json> found;
  try {
    found = find_network(engine, network, server);
  } catch (const Error&) {
    return false;  // not ours: left alone
  }
  if (!found) return false;
  disconnect_all(engine, network, *found);
  engine.del(network_path(network), "network " + quote(network));
  return true;
}

}  // namespace ccmcp::runtime
