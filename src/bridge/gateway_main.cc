// The command line of `cc-mcp-bridge gateway` (see gateway.h).
#include <charconv>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <string>

#include "bridge/gateway.h"

namespace ccmcp::bridge {

namespace {

constexpr const char* kGatewayUsage = R"(usage: cc-mcp-bridge gateway --relay HOST:PORT [OPTIONS]

Relays --listen's port to the server's bridge at HOST:PORT and, with
--egress-port, runs an HTTP proxy (CONNECT and http:// URLs) that opens only
the destinations --allow names. cc-mcp runs it beside a server whose
network is "none" or an allow-list.

Options:
  --relay HOST:PORT    the server's bridge (resolved at every connection)
  --listen PORT        the port to relay (default 3000)
  --egress-port PORT   serve the egress proxy on PORT (default: no proxy)
  --allow RULE         a destination the proxy opens (repeatable): host:port,
                       *.domain:port, or host (its ports 443 and 80)
  --transparent        also listen on the allowed destinations' ports, for
                       clients that ignore proxy variables (the server's
                       /etc/hosts sends the allowed names here)
  --max-connections N  most connections at once (default 1024)
  -v, --verbose        also log every egress connection that was allowed
  -h, --help           this help
)";

[[noreturn]] void usage_error(const std::string& message) {
  std::fprintf(stderr, "cc-mcp-bridge gateway: error: %s (see cc-mcp-bridge gateway --help)\n",
               message.c_str());
  std::exit(2);
}

int port_of(const std::string& option, const std::string& text) {
  int value = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size() || value < 1 || value > 65535)
    usage_error(option + ": \"" + text + "\" is not a port from 1 to 65535");
  return value;
}

}  // namespace

int gateway_main(int argc, char** argv) {
  GatewayOptions options;
  auto value = [&](int& i, const std::string& option) -> std::string {
    if (i + 1 >= argc) usage_error(option + " needs a value");
    return argv[++i];
  };
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "-h" || arg == "--help") {
      std::fputs(kGatewayUsage, stdout);
      return 0;
    } else if (arg == "--relay") {
      std::string target = value(i, arg);
      size_t colon = target.rfind(':');
      if (colon == std::string::npos || colon == 0)
        usage_error("--relay: \"" + target + "\" is not HOST:PORT");
      options.relay_host = target.substr(0, colon);
      options.relay_port = port_of(arg, target.substr(colon + 1));
    } else if (arg == "--listen") {
      options.listen_port = port_of(arg, value(i, arg));
    } else if (arg == "--egress-port") {
      options.egress_port = port_of(arg, value(i, arg));
    } else if (arg == "--allow") {
      std::string problem;
      auto rule = parse_allow_rule(value(i, arg), problem);
      if (!rule) usage_error("--allow: " + problem);
      options.allow.push_back(*rule);
    } else if (arg == "--max-connections") {
      options.max_connections = static_cast<size_t>(port_of(arg, value(i, arg)));
    } else if (arg == "--transparent") {
      options.transparent = true;
    } else if (arg == "-v" || arg == "--verbose") {
      options.verbose = true;
    } else {
      usage_error("unknown option \"" + arg + "\"");
    }
  }
  if (options.relay_host.empty()) usage_error("--relay HOST:PORT is required");
  if (!options.allow.empty() && !options.egress_port)
    usage_error("--allow needs --egress-port (the proxy's port)");
  try {
    return run_gateway(options);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "cc-mcp-bridge gateway: error: %s\n", e.what());
    return 1;
  }
}

}  // namespace ccmcp::bridge
