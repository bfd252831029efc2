// config validate, config show.
#include <CLI/CLI.hpp>

#include "cli/command.h"
#include "config/effective.h"
#include "config/units.h"
#include "util/strings.h"

namespace ccmcp::cli {

namespace {

using config::Json;
using config::Severity;

std::string plural(size_t n, const std::string& word) {
  return std::to_string(n) + " " + word + (n == 1 ? "" : "s");
}

int validate(Context& ctx) {
  auto location = ctx.locate_config();
  auto loaded = config::load_config(location);
  // Once the file itself is right: can its commands run on this machine?
  // (Its errors come first in file order, and there are none yet.)
  if (loaded.validation.ok() && loaded.document) {
    auto host =
        config::check_host_commands(*loaded.document, loaded.validation.config, location.display);
    auto& all = loaded.validation.diagnostics;
    all.insert(all.begin(), host.begin(), host.end());
  }
  const auto& diagnostics = loaded.validation.diagnostics;
  size_t errors = config::count(diagnostics, Severity::error);
  size_t warnings = config::count(diagnostics, Severity::warning);
  const auto& servers = loaded.validation.config.servers;
  size_t enabled = 0;
  for (const auto& server : servers) enabled += server.enabled();

  if (ctx.out.json()) {
    Json list = Json::array();
    for (const auto& d : diagnostics)
      list.push_back({{"severity", d.severity == Severity::error ? "error" : "warning"},
                      {"file", d.file},
                      {"line", d.pos.line},
                      {"column", d.pos.column},
                      {"path", d.path},
                      {"problem", d.problem},
                      {"hint", d.hint},
                      {"message", d.format()}});
    ctx.out.print_json({{"file", location.path.string()},
                        {"valid", errors == 0},
                        {"errors", errors},
                        {"warnings", warnings},
                        {"servers", servers.size()},
                        {"diagnostics", list}});
    return errors == 0 ? 0 : 1;
  }
  for (const auto& d : diagnostics) ctx.out.diagnostic(d);
  if (errors) {
    std::string summary = location.display + ": " + plural(errors, "error");
    if (warnings) summary += ", " + plural(warnings, "warning");
    std::fprintf(stderr, "%s\n", summary.c_str());
    return 1;
  }
  std::string summary = location.display + ": valid, " + plural(servers.size(), "server") + " (" +
                        std::to_string(enabled) + " enabled)";
  if (warnings) summary += ", " + plural(warnings, "warning");
  ctx.out.line(ctx.out.paint("✓ ", Color::green) + summary);
  return 0;
}

std::string scalar_text(const Json& value) {
  if (value.is_string()) return value.get<std::string>();
  if (value.is_null()) return "(remote default)";
  return value.dump();
}

// The effective config of one server as aligned "key  value" lines;
// defaults are marked so that the user sees what they did not write.
void show_server_text(Context& ctx, const Json& server) {
  std::vector<std::string> defaults = server["defaults"];
  auto is_default = [&](const std::string& key) {
    return std::find(defaults.begin(), defaults.end(), key) != defaults.end();
  };
  auto mark = [&](const std::string& key) {
    return is_default(key) ? ctx.out.paint(" (default)", Color::dim) : std::string{};
  };
  std::vector<std::pair<std::string, std::string>> rows;
  rows.push_back({"mode", scalar_text(server["mode"]) + mark("mode")});
  rows.push_back({"enabled", server["enabled"].get<bool>() ? "yes" : "no"});
  if (server.contains("image"))
    rows.push_back({"image", scalar_text(server["image"]) + mark("image")});
  if (server.contains("container")) rows.push_back({"container", scalar_text(server["container"])});
  if (server.contains("network"))
    rows.push_back(
        {"network",
         (server["network"].is_object()
              ? "allow " + join(server["network"]["allow"].get<std::vector<std::string>>(), ", ")
              : scalar_text(server["network"])) +
             mark("network")});
  if (server.contains("command")) rows.push_back({"command", scalar_text(server["command"])});
  if (!server["args"].empty()) {
    std::vector<std::string> args = server["args"];
    rows.push_back({"args", join(args, " ")});
  }
  for (const auto& [key, value] : server["environment"].items())
    rows.push_back({"environment", key + "=" + value.get<std::string>()});
  for (const auto& volume : server["volumes"])
    rows.push_back({"volume", volume["host"].get<std::string>() + " -> " +
                                  volume["container"].get<std::string>() +
                                  (volume["readOnly"].get<bool>() ? " (read-only)" : "")});
  const Json& limits = server["limits"];
  rows.push_back({"memory", scalar_text(limits["memory"]) + mark("limits.memory")});
  rows.push_back({"cpus", scalar_text(limits["cpus"]) + mark("limits.cpus")});
  rows.push_back({"pids", scalar_text(limits["pids"]) + mark("limits.pids")});
  rows.push_back(
      {"audit", std::string(server["audit"].get<bool>() ? "on" : "off") + mark("audit")});
  if (server.contains("source")) {
    for (const auto& [key, value] : server["source"].items())
      // null reads "(remote default)" already; a second "(default)" would stutter.
      rows.push_back(
          {"source." + key, scalar_text(value) + (value.is_null() ? "" : mark("source." + key))});
  }
  if (server.contains("docker")) {
    for (const auto& [key, value] : server["docker"].items()) {
      if (key == "buildArgs") {
        for (const auto& [arg, text] : value.items())
          rows.push_back({"docker.buildArgs", arg + "=" + text.get<std::string>()});
      } else {
        rows.push_back({"docker." + key, scalar_text(value)});
      }
    }
  }
  ctx.out.line(ctx.out.paint(server["name"].get<std::string>(), Color::bold));
  size_t width = 0;
  for (const auto& [key, value] : rows) width = std::max(width, key.size());
  for (const auto& [key, value] : rows)
    ctx.out.line("  " + key + std::string(width - key.size() + 2, ' ') + value);
}

int show(Context& ctx, const std::string& name) {
  auto loaded = ctx.load_valid_config();
  const auto& cfg = loaded.validation.config;
  std::vector<const config::Server*> chosen;
  if (!name.empty())
    chosen.push_back(&ctx.server(cfg, name));
  else
    for (const auto& server : cfg.servers) chosen.push_back(&server);

  Json servers = Json::array();
  for (const auto* server : chosen) servers.push_back(config::effective_json(*server));
  if (ctx.out.json()) {
    if (!name.empty())
      ctx.out.print_json(servers[0]);
    else
      ctx.out.print_json({{"config", cfg.file.string()}, {"servers", servers}});
    return 0;
  }
  if (name.empty()) ctx.out.line(ctx.out.paint("# " + cfg.file.string(), Color::dim));
  for (size_t i = 0; i < servers.size(); ++i) {
    if (i) ctx.out.line("");
    show_server_text(ctx, servers[i]);
  }
  return 0;
}

}  // namespace

void add_config_commands(CommandTable& table) {
  table.push_back({"Config", "config validate", "",
                   "check mcp.json and list every problem; exit 1 if there is any",
                   "Each problem is reported as FILE:LINE:COLUMN: KEY.PATH: PROBLEM (HINT).\n"
                   "Unknown keys are warnings, which do not fail the check.",
                   [](CLI::App&) {}, validate});
  auto name = std::make_shared<std::string>();
  table.push_back({"Config", "config show", "[NAME]",
                   "print the effective config: paths resolved, defaults filled in",
                   "Values that come from defaults rather than mcp.json are marked (default).",
                   [name](CLI::App& app) { app.add_option("NAME", *name, "one server"); },
                   [name](Context& ctx) { return show(ctx, *name); }});
}

}  // namespace ccmcp::cli
