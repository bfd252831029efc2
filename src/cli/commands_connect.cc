// connect: a stdio MCP server for clients that speak only stdio, relaying to
// a running server's Streamable HTTP URL (see mcp/stdio_relay.h).
#include <CLI/CLI.hpp>
#include <cstdio>

#include "cli/command.h"
#include "config/home.h"
#include "mcp/stdio_relay.h"
#include "net/tcp_probe.h"
#include "runtime/state.h"

namespace ccmcp::cli {

namespace {

struct ConnectOptions {
  std::string name;
  int wait_seconds = 10;
};

int connect(Context& ctx, const ConnectOptions& options) {
  if (options.name.empty())
    throw Error(ErrorKind::usage, "cc-mcp connect", "needs a server name",
                "e.g. cc-mcp connect filesystem");
  auto loaded = ctx.load_valid_config();
  const config::Server& server = ctx.server(loaded.validation.config, options.name);
  const std::string& name = server.name;
  Error not_running(ErrorKind::runtime, quote(name), "not running",
                    "start it with cc-mcp start " + name);
  runtime::StateStore state(config::cc_mcp_home());
  auto port = state.port_of(name);
  if (!port) throw not_running;
  // A server that restarts just now (a container after a reboot) gets a
  // moment; nothing on its port after that means it does not run.
  if (!net::wait_for_loopback_port(*port, std::chrono::seconds(options.wait_seconds)))
    throw not_running;

  mcp::RelayOptions relay;
  relay.url = runtime::server_url(*port);
  relay.subject = quote(name);
  bool quiet = ctx.out.quiet();
  relay.log = [name, quiet](const std::string& line) {
    if (!quiet) std::fprintf(stderr, "cc-mcp connect %s: %s\n", name.c_str(), line.c_str());
  };
  return mcp::run_stdio_relay(relay);
}

}  // namespace

void add_connect_command(CommandTable& table) {
  auto options = std::make_shared<ConnectOptions>();
  Command command;
  command.group = "Clients";
  command.path = "connect";
  command.notice = false;  // its stdio is the MCP protocol
  command.usage = "NAME";
  command.summary = "serve a running server over stdio (for Claude Desktop)";
  command.details =
      "Reads JSON-RPC lines on stdin and relays them to the server's URL\n"
      "(http://127.0.0.1:PORT/mcp); every answer, and every request or notification the\n"
      "server starts, is one line on stdout. Requests run concurrently. When the server\n"
      "restarts, connect waits for it and starts a new session by itself; requests in\n"
      "flight at that moment get an error. Ends at the end of stdin. Claude Desktop runs\n"
      "it (see cc-mcp client claude-desktop).";
  command.define = [options](CLI::App& app) {
    app.add_option("NAME", options->name, "the server");
    app.add_option("--wait", options->wait_seconds,
                   "seconds to wait for a server that is not up yet (default 10)")
        ->option_text("SECONDS")
        ->check(CLI::Range(0, 3600));
  };
  command.run = [options](Context& ctx) { return connect(ctx, *options); };
  table.push_back(std::move(command));
}

}  // namespace ccmcp::cli
