// The engine of `cc-mcp connect`: a stdio MCP server for clients that only
// speak stdio (Claude Desktop), made of a Streamable HTTP server.
//
// Each JSON-RPC line on stdin is POSTed as it is; every message of the
// answer (JSON, or each event of an SSE stream) becomes one line on stdout.
// Requests run concurrently (a slow tools/call holds up nothing). After
// initialize the GET stream is opened, so that what the server starts
// (sampling, elicitation, roots/list, notifications) reaches stdout too;
// the client's answers are POSTed back like any message.
//
// When the server restarts (connection refused, or 404 for the session),
// the relay waits for it (with growing pauses), replays the client's own
// initialize and notifications/initialized, swallows that answer, and goes
// on. A request that was not delivered is sent again on the new session; a
// request in flight when the server went away gets a JSON-RPC error, so
// the client never waits forever. stdin's end (or SIGTERM, SIGINT, SIGHUP)
// ends the session with DELETE. Only protocol goes to stdout.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <string>

#include "net/http_client.h"

namespace ccmcp::mcp {

struct RelayOptions {
  std::string url;
  std::string subject;  // names the server in errors sent to the client: "\"fs\""
  int in_fd = 0, out_fd = 1;
  // How long a request waits for a server that went away to come back.
  std::chrono::milliseconds reconnect_wait{60000};
  // At stdin's end: how long requests in flight may still finish.
  std::chrono::milliseconds drain{10000};
  // Diagnostics for people (stderr); may be called from any thread.
  std::function<void(const std::string& line)> log;
  std::shared_ptr<net::HttpClient> http;  // default libcurl
  bool handle_signals = true;             // SIGTERM, SIGINT, SIGHUP end it cleanly
};

// Runs until stdin ends (or a signal); returns the exit code (0). The
// caller checks beforehand that the server runs.
int run_stdio_relay(const RelayOptions& options);

}  // namespace ccmcp::mcp
