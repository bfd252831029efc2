// The egress proxy's allow-list and the request heads it understands: pure
// functions, so that the rules are tested without sockets.
//
// An allow rule is what mcp.json's "network": {"allow": [...]} holds:
//   "api.github.com:443"   that host, that port
//   "*.example.com:443"    any name under example.com (not example.com itself)
//   "api.github.com"       that host on 443 and 80
// Names compare without case and without a trailing dot; an IP address is
// allowed only when a rule names it.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ccmcp::bridge {

struct AllowRule {
  std::string host;  // lowercase; for a wildcard the suffix with its dot: ".example.com"
  bool wildcard = false;
  int port = 0;  // 0: 443 and 80
};

// The rule, or nullopt with `problem` set ("\"x:y\": the port is not a number
// from 1 to 65535").
std::optional<AllowRule> parse_allow_rule(std::string_view text, std::string& problem);

bool is_allowed(const std::vector<AllowRule>& rules, std::string_view host, int port);

// What a client asked the proxy for.
struct ProxyRequest {
  bool tunnel = false;  // CONNECT host:port; else an absolute-form HTTP request
  std::string host;     // lowercase, without brackets
  int port = 0;
  // For an HTTP request: the head to send to the origin (origin-form request
  // line, the Proxy-* headers dropped, "Connection: close").
  std::string origin_head;
};

// Parses a request head (everything up to and with the blank line). Returns
// nullopt with `problem` for a request the proxy does not serve.
std::optional<ProxyRequest> parse_proxy_request(std::string_view head, std::string& problem);

// Transparent egress: a client that ignores HTTPS_PROXY resolves an allowed
// name to the gateway (the server's container has it in /etc/hosts) and
// connects to the destination's own port there. Which destination it meant
// is the only allowed name for that port, or the name the connection's first
// bytes carry (TLS ClientHello's server_name, HTTP's Host).

// The ports to listen on for that: every named (not wildcard) rule's port,
// 443 and 80 for a rule without one; sorted, without duplicates.
std::vector<int> transparent_ports(const std::vector<AllowRule>& rules);

// The named (not wildcard) hosts allowed on `port`.
std::vector<std::string> named_hosts_on(const std::vector<AllowRule>& rules, int port);

enum class Sniff { name, need_more, none };
struct Sniffed {
  Sniff result = Sniff::need_more;
  std::string name;  // lowercase, without a port
};
// The server name of a TLS ClientHello, or the Host of an HTTP request head,
// in the first bytes of a connection: need_more while it may still come,
// none when these bytes cannot carry one.
Sniffed sniff_destination(std::string_view first_bytes);

}  // namespace ccmcp::bridge
