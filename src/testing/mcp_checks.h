// The MCP part of a test run, over one session with the server in its test
// container: ready, connection, capabilities and the package's own calls.
// Each returns its CheckResult; none throws for anything the server did.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "mcp/http_session.h"
#include "testing/package_tests.h"
#include "testing/tester.h"

namespace ccmcp::tester {

// What the server served, gathered by the checks for the scans after them.
struct ServedSet {
  std::vector<nlohmann::json> tools, prompts, resources;
};

// Why the container cannot serve (it exited, ...), or nullopt while it may.
using ContainerTrouble = std::function<std::optional<std::string>()>;

// Waits for the bridge's /healthz on `socket`, then initializes `session`.
// On failure `log_tail` gives the container's last lines.
CheckResult check_ready(net::HttpClient& http, const std::string& socket, mcp::Session& session,
                        std::chrono::milliseconds timeout, const ContainerTrouble& trouble,
                        const std::function<std::vector<std::string>()>& log_tail);

CheckResult check_connection(mcp::Session& session, std::chrono::milliseconds timeout);

CheckResult check_capabilities(mcp::Session& session, std::chrono::milliseconds timeout,
                               ServedSet& served);

// The package's calls ("Query test").
CheckResult check_package_calls(mcp::Session& session, const PackageTests& tests);

}  // namespace ccmcp::tester
