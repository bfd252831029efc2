// status: one row per configured server.
#include <CLI/CLI.hpp>
#include <thread>

#include "cli/command.h"
#include "cli/runtime_support.h"
#include "cli/status_view.h"
#include "config/home.h"
#include "runtime/status.h"

namespace ccmcp::cli {

namespace {

struct StatusOptions {
  std::vector<std::string> names;
  bool deep = false;
};

int status(Context& ctx, const StatusOptions& options) {
  auto loaded = ctx.load_valid_config();
  const auto& config = loaded.validation.config;
  std::vector<const config::Server*> servers;
  if (options.names.empty()) {
    for (const auto& server : config.servers) servers.push_back(&server);
  } else {
    servers = pick_servers(ctx, config, options.names, false, "status");
  }

  std::vector<const config::Server*> in_docker, on_host;
  for (const auto* server : servers)
    (server->mode == config::Mode::docker ? in_docker : on_host).push_back(server);

  config::Home home = config::cc_mcp_home();
  runtime::StateStore state(home);
  runtime::StatusOptions status_options;
  status_options.deep = options.deep;
  auto http = net::make_curl_client();
  // Both kinds at once: each spends most of its time waiting for CPU samples.
  std::vector<runtime::ServerStatus> docker_rows, host_rows;
  std::exception_ptr host_error;
  {
    std::jthread host;
    if (!on_host.empty())
      host = std::jthread([&] {
        try {
          host_rows = runtime::external_status(*http, on_host, home, status_options);
        } catch (...) {
          host_error = std::current_exception();
        }
      });
    if (!in_docker.empty()) {
      docker::Engine engine = docker::Engine::from_environment();
      docker_rows = runtime::docker_status(engine, *http, in_docker, state, status_options);
    }
  }
  if (host_error) std::rethrow_exception(host_error);

  // In the order of mcp.json.
  std::vector<runtime::ServerStatus> rows;
  size_t next_docker = 0, next_host = 0;
  for (const auto* server : servers)
    rows.push_back(std::move(server->mode == config::Mode::docker ? docker_rows[next_docker++]
                                                                  : host_rows[next_host++]));

  if (ctx.out.json()) {
    ctx.out.print_json(status_json(rows, options.deep));
    return 0;
  }
  if (rows.empty()) {
    ctx.out.line("no servers in " + loaded.location.display + " (add one under \"mcpServers\")");
    return 0;
  }
  StatusTable table = status_table(rows, options.deep);
  for (size_t i = 0; i < rows.size(); ++i)
    table.rows[i][1] = ctx.out.paint(table.rows[i][1], state_color(rows[i]));
  ctx.out.table(table.headers, table.rows);
  if (!ctx.out.quiet()) ctx.out.line(ctx.out.paint(table.footer, Color::dim));
  if (ctx.out.verbosity() > 0 || options.deep)
    for (const auto& row : rows)
      if (!row.deep_problem.empty())
        ctx.out.warning(row.name + ": the MCP probe failed: " + row.deep_problem);
  return 0;
}

}  // namespace

void add_status_commands(CommandTable& table) {
  auto options = std::make_shared<StatusOptions>();
  Command command;
  command.group = "Running";
  command.path = "status";
  command.usage = "[NAME...]";
  command.summary = "state, cpu, memory, url, version, uptime of servers (--deep)";
  command.details =
      "Health comes from the bridge's /healthz (it starts no server process for it);\n"
      "--deep also runs MCP initialize, tools/list and ping through each URL and shows\n"
      "the tool count. CPU % is measured over half a second, all containers at once.";
  command.define = [options](CLI::App& app) {
    app.add_option("NAME", options->names, "server names (default: all)");
    app.add_flag("--deep", options->deep, "also talk MCP to each running server");
  };
  command.run = [options](Context& ctx) { return status(ctx, *options); };
  table.push_back(std::move(command));
}

}  // namespace ccmcp::cli
