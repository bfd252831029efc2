// The Docker networks that keep servers apart (mcp.json "network"):
//   cc-mcp-NAME   one per server, holding its container and nothing of
//                 another server's; internal (no way out, no published
//                 port) unless the server's network is "full";
//   cc-mcp_edge   where the gateways publish their ports and reach out;
//                 inter-container traffic off, so no gateway reaches another.
// ("cc-mcp_edge" can never be "cc-mcp-" + a server's name.)
// Each is made by cc-mcp and labelled; one of those names that cc-mcp did
// not make is refused and left alone.
#pragma once

#include <string>

#include "config/model.h"
#include "docker/engine.h"

namespace ccmcp::runtime {

inline constexpr const char* kEdgeNetwork = "cc-mcp_edge";
// The gateway's name on a server's network: its HTTPS_PROXY points there.
inline constexpr const char* kEgressAlias = "cc-mcp-egress";
inline constexpr int kEgressPort = 3128;

std::string network_name_of(const std::string& server);  // "cc-mcp-NAME"

// The server's container stands behind a gateway (every policy but "full").
bool needs_gateway(const config::Server& server);

// Makes the server's network as its policy wants it. One of the other kind
// (the policy changed) is replaced: every container on it is disconnected
// first (they are recreated by the start that follows, their config hash
// having changed). Throws Error (conflict) for a network of that name that
// cc-mcp did not make, and Error (engine) with a way out when Docker has no
// address range left for another network.
void ensure_server_network(docker::Engine& engine, const config::Server& server);
void ensure_edge_network(docker::Engine& engine);

// Connects the container to the network (with `alias` there) unless it is
// connected already.
void ensure_connected(docker::Engine& engine, const std::string& container,
                      const std::string& network, const std::string& alias);

// Removes the server's network (disconnecting what is left on it); false
// when there was none. A network of that name that is not cc-mcp's is left.
bool remove_server_network(docker::Engine& engine, const std::string& server);

}  // namespace ccmcp::runtime
