// A server's gateway container, cc-mcp-gw-NAME (see bridge/gateway.h and
// networks.h): on the edge network with the server's port published on
// 127.0.0.1, relaying it to mcp-NAME:3000 on the server's own network, where
// it also serves the egress proxy when the server has an allow-list. The
// same hardening as the server's container; the allow-list is part of its
// config hash, so a changed list recreates only the gateway.
#pragma once

#include <chrono>
#include <string>

#include "config/model.h"
#include "docker/engine.h"
#include "images/gateway_image.h"
#include "runtime/container_spec.h"
#include "runtime/containers.h"

namespace ccmcp::runtime {

inline constexpr const char* kLabelGateway = "dev.cc-mcp.gateway";

std::string gateway_name_of(const std::string& server);  // "cc-mcp-gw-NAME"

ContainerSpec make_gateway_spec(const config::Server& server, const images::GatewayImage& image,
                                int port);

// Brings the gateway up (left, started, created or recreated like the
// server's container) and makes sure it is on the server's network.
UpResult bring_up_gateway(docker::Engine& engine, const config::Server& server,
                          const ContainerSpec& spec, int port, const std::string& state_file);

// Stop and remove, as stop_managed/remove_managed; false when there was none.
bool stop_gateway(docker::Engine& engine, const std::string& server,
                  std::chrono::seconds grace = kStopGrace);
bool remove_gateway(docker::Engine& engine, const std::string& server,
                    std::chrono::seconds grace = kStopGrace);

}  // namespace ccmcp::runtime
