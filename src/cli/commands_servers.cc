// list, enable, disable: the servers of mcp.json.
#include <CLI/CLI.hpp>
#include <set>

#include "cli/command.h"
#include "config/effective.h"
#include "config/store.h"
#include "util/strings.h"

namespace ccmcp::cli {

namespace {

using config::Json;

// What a server runs, in a few words: "npm @scope/pkg@1.2", "npx args...".
std::string origin_of(const config::Server& server) {
  if (server.source) {
    const auto& s = *server.source;
    switch (s.type) {
      case config::SourceType::npm:
        return "npm " + s.package + (s.version.empty() ? "" : "@" + s.version);
      case config::SourceType::git: {
        std::string ref = !s.tag.empty() ? s.tag : !s.commit.empty() ? s.commit : s.branch;
        return "git " + s.repository + (ref.empty() ? "" : "#" + ref);
      }
      case config::SourceType::local:
        return "local " + s.local_path.string();
    }
  }
  if (server.mode == config::Mode::docker) {
    if (server.docker && server.docker->dockerfile)
      return "dockerfile " + server.docker->dockerfile->string();
    return "image " + config::image_of(server);
  }
  std::string text = server.command;
  for (const auto& arg : server.args) text += " " + arg;
  return text;
}

int list(Context& ctx) {
  auto loaded = ctx.load_valid_config();
  const auto& servers = loaded.validation.config.servers;
  if (ctx.out.json()) {
    Json rows = Json::array();
    for (const auto& server : servers)
      rows.push_back({{"name", server.name},
                      {"mode", config::to_string(server.mode)},
                      {"enabled", server.enabled()},
                      {"origin", origin_of(server)}});
    ctx.out.print_json({{"config", loaded.location.path.string()}, {"servers", rows}});
    return 0;
  }
  if (servers.empty()) {
    ctx.out.line("no servers in " + loaded.location.display + " (add one under \"mcpServers\")");
    return 0;
  }
  std::vector<std::vector<std::string>> rows;
  size_t enabled = 0;
  for (const auto& server : servers) {
    enabled += server.enabled();
    rows.push_back(
        {server.name, config::to_string(server.mode),
         server.enabled() ? ctx.out.paint("yes", Color::green) : ctx.out.paint("no", Color::dim),
         origin_of(server)});
  }
  ctx.out.table({"NAME", "MODE", "ENABLED", "RUNS"}, rows);
  if (!ctx.out.quiet())
    ctx.out.line(ctx.out.paint(
        std::to_string(servers.size()) + (servers.size() == 1 ? " server, " : " servers, ") +
            std::to_string(enabled) + " enabled (" + loaded.location.display + ")",
        Color::dim));
  return 0;
}

struct ToggleOptions {
  std::vector<std::string> names;
  std::string mode;
};

// Enables or disables servers in one locked change of mcp.json.
int toggle(Context& ctx, const ToggleOptions& options, bool enable) {
  const char* verb = enable ? "enable" : "disable";
  if (options.names.empty())
    throw Error(ErrorKind::usage, std::string("cc-mcp ") + verb, "needs a server name",
                std::string("e.g. cc-mcp ") + verb + " filesystem");
  if (!options.mode.empty() && options.mode != "docker" && options.mode != "external")
    throw Error(ErrorKind::usage, "--mode", quote(options.mode) + " is not a mode",
                "use docker or external");

  std::vector<std::string> changed, unchanged;
  auto location = ctx.locate_config();
  bool change_made = false;  // an InvalidConfig after the change is the change's doing
  config::UpdateResult result;
  try {
    result = config::update_config(location, [&](const config::LoadedConfig& current, Json& root) {
      std::set<std::string> seen;
      for (const auto& name : options.names) {
        if (!seen.insert(name).second) continue;
        const auto& server = ctx.server(current.validation.config, name);
        Json& entry = root["mcpServers"][name];
        Json before = entry;
        if (enable) {
          entry.erase("disabled");
          if (entry.contains("enabled")) entry["enabled"] = true;
          if (!options.mode.empty() &&
              (options.mode != config::to_string(server.mode) || server.mode_explicit))
            entry["mode"] = options.mode;
        } else if (entry.contains("enabled")) {
          entry["enabled"] = false;
          entry.erase("disabled");
        } else {
          entry["disabled"] = true;
        }
        (entry == before ? unchanged : changed).push_back(name);
      }
      change_made = true;
    });
  } catch (const config::InvalidConfig& invalid) {
    if (!change_made && ctx.out.json()) throw;  // as every command reports an invalid file
    // Its lines name the problems; say too that nothing was written, and why.
    for (const auto& diagnostic : invalid.diagnostics()) ctx.out.diagnostic(diagnostic);
    if (!change_made)
      throw Error(ErrorKind::config, location.display,
                  invalid.problem() + "; it was left as it was", invalid.hint());
    std::vector<std::string> quoted;
    for (const auto& name : options.names)
      if (std::find(quoted.begin(), quoted.end(), quote(name)) == quoted.end())
        quoted.push_back(quote(name));
    throw Error(ErrorKind::config, location.display,
                std::string(enable ? "enabling " : "disabling ") + join(quoted, ", ") +
                    (enable && !options.mode.empty() ? " in " + options.mode + " mode" : "") +
                    " would make it invalid; it was left as it was");
  }
  for (const auto& warning : result.warnings) ctx.out.diagnostic(warning);
  if (result.comments_dropped)
    ctx.out.warning(location.display +
                    ": its comments were dropped while rewriting it (the old file is in " +
                    result.backup.filename().string() + ")");

  if (result.changed && ctx.out.verbosity() > 0)
    ctx.out.note("wrote " + location.display + " (the previous content is in " +
                 result.backup.string() + ")");
  if (ctx.out.json()) {
    ctx.out.print_json({{"changed", changed}, {"unchanged", unchanged}});
    return 0;
  }
  for (const auto& name : changed)
    ctx.out.line(std::string(enable ? "enabled " : "disabled ") + name +
                 (enable && !options.mode.empty() ? " (mode " + options.mode + ")" : ""));
  for (const auto& name : unchanged)
    ctx.out.line(name + " is already " + (enable ? "enabled" : "disabled") +
                 (enable && !options.mode.empty() ? " in " + options.mode + " mode" : ""));
  return 0;
}

}  // namespace

void add_server_commands(CommandTable& table) {
  table.push_back({"Servers", "list", "", "list the servers of mcp.json: mode, enabled, what runs",
                   "", [](CLI::App&) {}, list});

  for (bool enable : {true, false}) {
    auto options = std::make_shared<ToggleOptions>();
    Command command;
    command.group = "Servers";
    command.path = enable ? "enable" : "disable";
    command.usage = "NAME...";
    command.summary = enable ? "enable servers in mcp.json (--mode switches how they run)"
                             : "disable servers; they stay in mcp.json, marked disabled";
    command.details =
        "Edits mcp.json in place under a lock: comments, order and layout are kept, and the\n"
        "previous content is saved as mcp.json.bak.";
    command.define = [options, enable](CLI::App& app) {
      app.add_option("NAME", options->names, "server names");
      if (enable)
        app.add_option("--mode", options->mode, "run as docker or external")
            ->option_text("docker|external");
    };
    command.run = [options, enable](Context& ctx) { return toggle(ctx, *options, enable); };
    table.push_back(std::move(command));
  }
}

}  // namespace ccmcp::cli
