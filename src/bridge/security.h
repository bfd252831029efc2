// Who may talk to the bridge: Host and Origin checked against allow-lists
// (DNS rebinding protection, as the MCP transport spec requires) and an
// optional bearer token compared in constant time.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "bridge/http_request_parser.h"

namespace ccmcp::bridge {

struct AccessPolicy {
  // Host names (without port) a request may name. "*" allows any.
  std::vector<std::string> allowed_hosts = {"localhost", "127.0.0.1", "[::1]"};
  // Origins (scheme://host[:port]; a missing port matches any). "*" allows any.
  std::vector<std::string> allowed_origins = {"http://localhost",  "http://127.0.0.1",
                                              "http://[::1]",      "https://localhost",
                                              "https://127.0.0.1", "https://[::1]"};
  std::optional<std::string> token;
};

struct AccessDecision {
  int status = 0;  // 0: allowed; else 401 or 403
  std::string reason;
};

AccessDecision check_access(const AccessPolicy& policy, const HttpRequest& request);

bool constant_time_equal(const std::string& a, const std::string& b);

}  // namespace ccmcp::bridge
