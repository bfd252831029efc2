// Is a server serving? The bridge's GET /healthz (cheap: it starts no
// child) for status, and a real MCP exchange through the URL for start
// and status --deep.
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

struct ProbeResult {
  bool ok = false;
  std::string problem;  // when not ok: what went wrong last
  std::string server_name, server_version;
  size_t tools = 0;  // with tools/list
};

// initialize (and, when `deep`, tools/list and ping) through the URL in one
// session that is ended afterwards. One attempt.
ProbeResult probe_server(net::HttpClient& http, const std::string& url,
                         std::chrono::milliseconds timeout, bool deep);

// Repeats probe_server (initialize only) until it answers or `timeout`
// passes; `keep_waiting` is asked between tries and ends the wait early
// when it returns a problem (for example: the container exited).
ProbeResult wait_until_serving(net::HttpClient& http, const std::string& url,
                               std::chrono::milliseconds timeout,
                               const std::function<std::optional<std::string>()>& keep_waiting);

}  // namespace ccmcp::runtime
