// cc-mcp-bridge gateway: what stands between a server's container and the
// world when the server may not reach the world itself (mcp.json
// "network": absent or {"allow": [...]}).
//
// The server's container sits alone on an internal Docker network, which
// can neither publish a port nor reach out. The gateway's container is on
// that network and on cc-mcp's edge network, and does two things:
//   relay   its port (published on 127.0.0.1) to the server's bridge, byte
//           for byte, so that clients reach the server as before;
//   egress  an HTTP proxy (CONNECT, and absolute http:// requests) on the
//           internal network that opens only what the allow-list names;
//           anything else gets 403 and a line on stderr saying what was refused;
//           and, for clients that ignore proxy variables (Node's fetch), the
//           allowed destinations' own ports, forwarded to the name the
//           connection asks for (egress_rules.h: transparent egress).
// A thread per connection: a gateway carries one server's traffic.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "bridge/egress_rules.h"

namespace ccmcp::bridge {

struct GatewayOptions {
  int listen_port = 3000;
  std::string relay_host;  // the server's container, resolved per connection
  int relay_port = 3000;
  int egress_port = 0;  // 0: no proxy (the server has no network at all)
  std::vector<AllowRule> allow;
  // Also listen on the allowed destinations' ports for clients that ignore
  // the proxy (see transparent_ports in egress_rules.h).
  bool transparent = false;
  size_t max_connections = 1024;
  bool verbose = false;  // also log every allowed egress connection
};

// Serves until SIGTERM/SIGINT; returns the exit status. Throws
// std::runtime_error when a port cannot be listened on.
int run_gateway(const GatewayOptions& options);

// `cc-mcp-bridge gateway ...`: parses argv (argv[0] is "gateway") and runs.
int gateway_main(int argc, char** argv);

}  // namespace ccmcp::bridge
