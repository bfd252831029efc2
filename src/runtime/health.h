// Is a server's bridge up? GET /healthz on its address: cheap, it starts
// no server process (a real MCP exchange is mcp::probe's).
#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <string>

#include "net/http_client.h"

namespace ccmcp::runtime {

// Where a bridge listens: a port published on 127.0.0.1, or a unix socket
// (the tester's containers have no network at all).
struct BridgeAddress {
  std::string base_url;     // "http://127.0.0.1:PORT", or "http://localhost" for a socket
  std::string unix_socket;  // empty for TCP

  static BridgeAddress tcp(int port);
  static BridgeAddress unix_socket_at(std::string path);
  // "port 24117", "socket /tmp/x/bridge.sock": for messages.
  std::string describe() const;
};

// The HTTP status of GET /healthz (200 healthy, 503 not), or nullopt when
// nothing answered in time.
std::optional<int> healthz_status(net::HttpClient& http, const BridgeAddress& address,
                                  std::chrono::milliseconds timeout);

// Polls /healthz until the bridge answers it (any status but 503: an
// image whose entrypoint is not our bridge answers 404, and the MCP probe
// tells the rest), `timeout` passes, or `trouble` names a reason to give
// up (the container exited, ...). Returns nullopt when it answered, else
// why not.
std::optional<std::string> wait_for_bridge(
    net::HttpClient& http, const BridgeAddress& address, std::chrono::milliseconds timeout,
    const std::function<std::optional<std::string>(std::optional<int> healthz)>& trouble);

}  // namespace ccmcp::runtime
