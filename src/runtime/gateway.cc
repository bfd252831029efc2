#include "runtime/gateway.h"

#include "config/effective.h"
#include "runtime/networks.h"

namespace ccmcp::runtime {

namespace {

using Json = nlohmann::json;

// A gateway carries bytes: small limits leave the host's memory to servers.
constexpr uint64_t kGatewayMemory = 64ull << 20;
constexpr int64_t kGatewayNanoCpus = 500'000'000;
constexpr uint32_t kGatewayPids = 64;

}  // namespace

std::string gateway_name_of(const std::string& server) {
  return "cc-mcp-gw-" + server;
}

ContainerSpec make_gateway_spec(const config::Server& server, const images::GatewayImage& image,
                                int port) {
  std::string port_key = std::to_string(kContainerPort) + "/tcp";
  std::vector<std::string> args = {
      "--listen", std::to_string(kContainerPort), "--relay",
      config::container_name_of(server) + ":" + std::to_string(kContainerPort)};
  if (server.network.access == config::NetworkAccess::allow) {
    args.push_back("--egress-port");
    args.push_back(std::to_string(kEgressPort));
    for (const auto& rule : server.network.allow) {
      args.push_back("--allow");
      args.push_back(rule);
    }
    args.push_back("--transparent");
  }

  Json host = hardened_host_config(kGatewayPids, kGatewayMemory, kGatewayNanoCpus);
  host["NetworkMode"] = kEdgeNetwork;
  // The allowed destinations' own ports (443, 80) without a capability: the
  // gateway's network namespace is its own, so this opens nothing else.
  host["Sysctls"] = {{"net.ipv4.ip_unprivileged_port_start", "0"}};
  host["PortBindings"] = loopback_port_binding(port);
  host["LogConfig"] = {{"Type", "json-file"}, {"Config", {{"max-size", "1m"}, {"max-file", "2"}}}};

  Json body;
  body["Image"] = image.reference;
  body["User"] = kContainerUser;
  body["Cmd"] = args;
  body["ExposedPorts"] = {{port_key, Json::object()}};
  body["HostConfig"] = host;
  body["Labels"] = {{kLabelManaged, "true"}, {kLabelName, server.name}, {kLabelGateway, "true"}};

  return seal_spec(gateway_name_of(server.name), std::move(body), image.id);
}

UpResult bring_up_gateway(docker::Engine& engine, const config::Server& server,
                          const ContainerSpec& spec, int port, const std::string& state_file) {
  UpResult up = bring_up(engine, server.name, spec, port, state_file);
  ensure_connected(engine, up.id, network_name_of(server.name), kEgressAlias);
  return up;
}

bool stop_gateway(docker::Engine& engine, const std::string& server, std::chrono::seconds grace) {
  return stop_managed(engine, gateway_name_of(server), server, grace);
}

bool remove_gateway(docker::Engine& engine, const std::string& server, std::chrono::seconds grace) {
  return remove_managed(engine, gateway_name_of(server), server, grace);
}

}  // namespace ccmcp::runtime
