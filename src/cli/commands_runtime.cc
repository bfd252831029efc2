// start, stop, restart, rm: a server's container (docker mode) or its
// supervised process (external mode).
#include <CLI/CLI.hpp>

#include "cli/command.h"
#include "cli/runtime_support.h"
#include "cli/startup_updates.h"
#include "config/effective.h"
#include "images/ensure.h"
#include "runtime/external.h"
#include "runtime/lifecycle.h"
#include "secrets/env_file.h"
#include "secrets/resolve.h"

namespace ccmcp::cli {

namespace {

using Json = nlohmann::ordered_json;

struct RuntimeOptions {
  std::vector<std::string> names;
  bool all = false;
  double timeout_seconds = 30;
  bool force = false;
};

std::string seconds_text(std::chrono::milliseconds took) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.1fs", static_cast<double>(took.count()) / 1000.0);
  return buffer;
}

// Runs `each` on every server, reporting a failure and going on with the
// rest; the exit code is 1 when any failed.
struct Batch {
  Context& ctx;
  Json done = Json::array();
  Json failed = Json::array();

  template <typename Each>
  void run(const std::vector<const config::Server*>& servers, Each each) {
    for (const auto* server : servers) {
      try {
        each(*server);
      } catch (const runtime::StartFailed& error) {
        fail(*server, error, error.log_tail());
      } catch (const Error& error) {
        // An engine that stopped answering fails every server alike: once.
        if (error.kind() == ErrorKind::engine && !dynamic_cast<const docker::EngineError*>(&error))
          throw;
        fail(*server, error, {});
      }
    }
  }

  void fail(const config::Server& server, const Error& error, const std::vector<std::string>& log) {
    Json entry = {{"name", server.name}, {"error", error.message()}};
    if (!log.empty()) entry["log"] = log;
    failed.push_back(std::move(entry));
    if (ctx.out.json()) return;
    ctx.out.error(error.message());
    if (!log.empty()) {
      std::fprintf(stderr, "  last lines of its log:\n");
      for (const auto& line : log) std::fprintf(stderr, "  | %s\n", line.c_str());
      std::fflush(stderr);
    }
  }

  int finish() {
    if (ctx.out.json()) ctx.out.print_json({{"servers", done}, {"failed", failed}});
    return failed.empty() ? 0 : 1;
  }
};

void refuse_disabled(const config::Server& server, const std::string& verb) {
  if (!server.enabled())
    throw Error(ErrorKind::config, quote(server.name), "is disabled in mcp.json",
                "cc-mcp enable " + server.name + " first, then cc-mcp " + verb + " " + server.name);
}

bool any_docker(const std::vector<const config::Server*>& servers) {
  for (const auto* server : servers)
    if (server->mode == config::Mode::docker) return true;
  return false;
}

int start_or_restart(Context& ctx, const RuntimeOptions& options, bool restart) {
  std::string verb = restart ? "restart" : "start";
  auto timeout = timeout_option(options.timeout_seconds);
  auto loaded = ctx.load_valid_config();
  const auto& config = loaded.validation.config;
  auto servers = pick_servers(ctx, config, options.names, options.all, verb);
  config::Home home = config::cc_mcp_home();
  runtime::StateStore state(home);
  docker::Engine engine = docker::Engine::from_environment();
  if (any_docker(servers))
    engine.api_version();  // unreachable: one clear error, not one per server
  auto http = net::make_curl_client();

  runtime::StartOptions start_options;
  start_options.timeout = timeout;
  start_options.force = options.force;
  if (any_docker(servers))
    apply_startup_updates(ctx, engine, *http, state, config, servers, timeout);

  Batch batch{ctx};
  batch.run(servers, [&](const config::Server& server) {
    refuse_disabled(server, verb);
    secrets::check_secrets_set(home, server);  // before any build or change
    bool external = server.mode == config::Mode::external;
    runtime::StartReport report;
    if (external) {
      if (restart) runtime::external::stop(home, server.name);
      report = runtime::start_external_server(config, server, state, start_options);
    } else {
      runtime::check_before_start(engine, server, start_options);
      if (restart) runtime::stop_docker_server(engine, server);
      runtime::ImageRef image = obtain_image(ctx, engine, config, server, home);
      report = runtime::start_docker_server(engine, *http, state, server, image,
                                            images::container_args(server), start_options);
    }
    std::string what = external ? "its supervised process" : "container";
    batch.done.push_back(
        {{"name", server.name},
         {"outcome", runtime::to_string(report.outcome)},
         {"url", report.url},
         {"port", report.port},
         {"mode", config::to_string(server.mode)},
         {"tools", report.outcome == runtime::UpOutcome::already_running ? Json(nullptr)
                                                                         : Json(report.tools)},
         {"container", report.container_id}});
    if (ctx.out.json()) return;
    switch (report.outcome) {
      case runtime::UpOutcome::already_running:
        ctx.out.line(server.name + " is already running at " + report.url);
        break;
      case runtime::UpOutcome::created:
        ctx.out.line(
            (restart ? "restarted " : "started ") + server.name + " at " + report.url +
            (external ? " (on the host, supervised; answered in "
                      : " (new container " + config::container_name_of(server) + ", answered in ") +
            seconds_text(report.took) + ")");
        break;
      case runtime::UpOutcome::recreated:
        ctx.out.line((restart ? "restarted " : "started ") + server.name + " at " + report.url +
                     " (" + what + " recreated: its config" + (external ? "" : " or image") +
                     " changed; answered in " + seconds_text(report.took) + ")");
        break;
      case runtime::UpOutcome::started:
        ctx.out.line((restart ? "restarted " : "started ") + server.name + " at " + report.url +
                     " (answered in " + seconds_text(report.took) + ")");
        break;
    }
  });
  return batch.finish();
}

int stop_or_remove(Context& ctx, const RuntimeOptions& options, bool remove) {
  std::string verb = remove ? "rm" : "stop";
  auto loaded = ctx.load_valid_config();
  const auto& config = loaded.validation.config;
  auto servers = pick_servers(ctx, config, options.names, options.all, verb);
  config::Home home = config::cc_mcp_home();
  docker::Engine engine = docker::Engine::from_environment();
  if (any_docker(servers)) engine.api_version();

  Batch batch{ctx};
  batch.run(servers, [&](const config::Server& server) {
    std::string container = config::container_name_of(server);
    if (remove && server.mode == config::Mode::external) {
      batch.done.push_back({{"name", server.name}, {"outcome", "no container (external mode)"}});
      if (!ctx.out.json())
        ctx.out.line(server.name +
                     " runs in external mode: there is no container to remove (cc-mcp stop " +
                     server.name + " ends its process)");
      return;
    }
    bool acted = server.mode == config::Mode::external ? runtime::external::stop(home, server.name)
                 : remove ? runtime::remove_docker_server(engine, server)
                          : runtime::stop_docker_server(engine, server);
    if (remove) secrets::remove_env_file(home, server.name);  // the container held it
    batch.done.push_back({{"name", server.name},
                          {"outcome", acted ? (remove ? "removed" : "stopped")
                                            : (remove ? "no container" : "not running")}});
    if (ctx.out.json()) return;
    if (remove)
      ctx.out.line(acted ? "removed " + container + " (its image and its port stay)"
                         : server.name + " has no container");
    else
      ctx.out.line(acted ? "stopped " + server.name : server.name + " is not running");
  });
  return batch.finish();
}

void define_names(CLI::App& app, RuntimeOptions& options) {
  app.add_option("NAME", options.names, "server names");
  app.add_flag("--all", options.all, "every enabled server");
}

}  // namespace

void add_runtime_commands(CommandTable& table) {
  for (bool restart : {false, true}) {
    auto options = std::make_shared<RuntimeOptions>();
    Command command;
    command.group = "Running";
    command.path = restart ? "restart" : "start";
    command.usage = "[NAME...|--all]";
    command.summary = restart ? "stop servers and start them again (recreated if changed)"
                              : "run servers: build the image if missing, then the container";
    command.details =
        "A docker-mode server runs in the hardened container mcp-NAME, published on\n"
        "127.0.0.1 only, on a port picked once and kept. An unchanged running container\n"
        "is left alone; a changed config or image recreates it. Success means the server\n"
        "answered MCP initialize through its URL; on failure the last lines of its log\n"
        "are shown and the container is left for you to look at.";
    command.define = [options](CLI::App& app) {
      define_names(app, *options);
      app.add_option("--timeout", options->timeout_seconds,
                     "seconds to wait for MCP initialize (default 30)")
          ->option_text("S");
      app.add_flag("--force", options->force,
                   "mount volumes that are refused by default (/, home, Docker socket, "
                   "credentials)");
    };
    command.run = [options, restart](Context& ctx) {
      return start_or_restart(ctx, *options, restart);
    };
    table.push_back(std::move(command));
  }
  for (bool remove : {false, true}) {
    auto options = std::make_shared<RuntimeOptions>();
    Command command;
    command.group = "Running";
    command.path = remove ? "rm" : "stop";
    command.usage = "[NAME...|--all]";
    command.summary = remove ? "remove servers' containers (images, volumes and ports stay)"
                             : "stop servers (their containers stay, for start)";
    command.define = [options](CLI::App& app) { define_names(app, *options); };
    command.run = [options, remove](Context& ctx) { return stop_or_remove(ctx, *options, remove); };
    table.push_back(std::move(command));
  }
}

}  // namespace ccmcp::cli
