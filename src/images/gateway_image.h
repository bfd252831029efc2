// The image of every server's gateway (see bridge/gateway.h): nothing but
// the static cc-mcp-bridge on an empty base, tagged by the bridge's digest
// so that a new cc-mcp brings a new gateway and an unchanged one is never
// built again (the engine is asked first; a second or two when it is not there).
#pragma once

#include <string>

#include "docker/engine.h"

namespace ccmcp::images {

inline constexpr const char* kGatewayRepository = "cc-mcp/gateway";
inline constexpr const char* kGatewayBridgePath = "/cc-mcp-bridge";

struct GatewayImage {
  std::string reference;  // "cc-mcp/gateway:3f2a..."
  std::string id;         // "sha256:..."
};

// Builds it when the engine does not have it. Throws Error (build) when the
// bridge cannot be found or the build fails.
GatewayImage ensure_gateway_image(docker::Engine& engine);

}  // namespace ccmcp::images
