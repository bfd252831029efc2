// Is a server's bridge up? GET /healthz on the published port: cheap, it
// starts no server process (a real MCP exchange is mcp::probe's).
#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <string>

#include "net/http_client.h"

namespace ccmcp::runtime {

// The HTTP status of GET http://127.0.0.1:PORT/healthz (200 healthy, 503
// not), or nullopt when nothing answered in time.
std::optional<int> healthz_status(net::HttpClient& http, int port,
                                  std::chrono::milliseconds timeout);

// Polls /healthz until the bridge answers it (any status but 503: an
// image whose entrypoint is not our bridge answers 404, and the MCP probe
// tells the rest), `timeout` passes, or `trouble` names a reason to give
// up (the container exited, ...). Returns nullopt when it answered, else
// why not.
std::optional<std::string> wait_for_bridge(
    net::HttpClient& http, int port, std::chrono::milliseconds timeout,
    const std::function<std::optional<std::string>(std::optional<int> healthz)>& trouble);

}  // namespace ccmcp::runtime
