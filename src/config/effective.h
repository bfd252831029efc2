// The effective config of a server: what cc-mcp will actually use, with
// paths resolved and every default filled in (and marked as a default).
#pragma once

#include "config/jsonc.h"
#include "config/model.h"

namespace ccmcp::config {

struct Defaults {
  static constexpr uint64_t memory_bytes = 512ull << 20;
  static constexpr double cpus = 1.0;
  static constexpr uint32_t pids = 256;
  static constexpr std::chrono::seconds check_interval{24 * 3600};
  static constexpr const char* check_interval_text = "24h";
  static constexpr UpdatePolicy update_policy = UpdatePolicy::manual;
};

// The image a docker server runs: `image`, else `docker.image`, else the
// image cc-mcp builds for it, cc-mcp/NAME:latest.
std::string image_of(const Server& server);
std::string container_name_of(const Server& server);

// mcp.json's spelling of a network policy: "none", "full" or {"allow": [...]}.
Json network_json(const NetworkPolicy& network);

// {"name", "mode", "enabled", ..., "defaults": ["limits.memory", ...]}
Json effective_json(const Server& server);

}  // namespace ccmcp::config
