// build, rebuild, images: the images of docker servers.
#include <CLI/CLI.hpp>
#include <chrono>
#include <cmath>
#include <ctime>

#include "cli/build_progress.h"
#include "cli/command.h"
#include "config/home.h"
#include "docker/engine.h"
#include "images/catalog.h"
#include "images/ensure.h"
#include "images/plan.h"

namespace ccmcp::cli {

namespace {

using Json = nlohmann::ordered_json;

struct BuildOptions {
  std::vector<std::string> names;
  bool all = false;
  bool no_cache = false;
};

// The servers named, or with --all every enabled docker server.
std::vector<const config::Server*> select_servers(Context& ctx, const config::Config& config,
                                                  const std::vector<std::string>& names, bool all,
                                                  const std::string& command) {
  std::vector<const config::Server*> servers;
  if (all && !names.empty())
    throw Error(ErrorKind::usage, "cc-mcp " + command, "takes server names or --all, not both",
                "e.g. cc-mcp " + command + " filesystem");
  if (all) {
    for (const auto& server : config.servers)
      if (server.mode == config::Mode::docker && server.enabled()) servers.push_back(&server);
    if (servers.empty())
      throw Error(ErrorKind::not_found, config.file.filename().string(),
                  "has no enabled docker servers", "cc-mcp list shows the servers");
    return servers;
  }
  if (names.empty())
    throw Error(ErrorKind::usage, "cc-mcp " + command, "needs a server name or --all",
                "e.g. cc-mcp " + command + " filesystem");
  for (const auto& name : names) {
    const config::Server* server = &ctx.server(config, name);
    if (std::find(servers.begin(), servers.end(), server) == servers.end())
      servers.push_back(server);
  }
  return servers;
}

std::string short_id(const std::string& id) {
  return id.substr(0, id.rfind("sha256:", 0) == 0 ? 19 : 12);
}

int build(Context& ctx, const BuildOptions& options, bool always) {
  std::string command = always ? "rebuild" : "build";
  auto loaded = ctx.load_valid_config();
  const config::Config& config = loaded.validation.config;
  auto servers = select_servers(ctx, config, options.names, options.all, command);
  docker::Engine engine = docker::Engine::from_environment();
  config::Home home = config::cc_mcp_home();
  images::BuildWhen when =
      always || options.no_cache ? images::BuildWhen::always : images::BuildWhen::changed;

  Json results = Json::array(), errors = Json::array();
  for (const config::Server* server : servers) {
    auto start = std::chrono::steady_clock::now();
    BuildProgressPrinter progress(ctx.out, server->name);
    try {
      images::ImageInfo info = images::ensure_image(engine, config, *server, home, when, progress);
      progress.finish();
      double seconds =
          std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      results.push_back({{"name", server->name},
                         {"reference", info.reference},
                         {"id", info.id},
                         {"version", info.version},
                         {"commit", info.commit},
                         {"built", info.built},
                         {"seconds", std::round(seconds * 10) / 10}});
      char took[32];
      std::snprintf(took, sizeof took, "%.1f s", seconds);
      ctx.out.line(info.built
                       ? "built " + info.reference + " (" + short_id(info.id) + ") in " + took
                       : info.reference + " is up to date (" + short_id(info.id) + ")");
    } catch (const Error& error) {
      progress.finish();
      // The engine gone is the same for every server: say it once.
      if (error.kind() == ErrorKind::engine || servers.size() == 1) throw;
      ctx.out.error(error.message());
      errors.push_back({{"name", server->name}, {"message", error.message()}});
    }
  }
  if (ctx.out.json()) ctx.out.print_json({{"images", results}, {"errors", errors}});
  return errors.empty() ? 0 : 1;
}

std::string format_created(int64_t created) {
  std::time_t time = static_cast<std::time_t>(created);
  std::tm local{};
  ::localtime_r(&time, &local);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%d %H:%M", &local);
  return text;
}

std::string format_size(int64_t bytes) {
  char text[32];
  if (bytes >= 1000 * 1000 * 1000)
    std::snprintf(text, sizeof text, "%.2f GB", static_cast<double>(bytes) / 1e9);
  else
    std::snprintf(text, sizeof text, "%.0f MB", static_cast<double>(bytes) / 1e6);
  return text;
}

struct ImagesOptions {
  std::vector<std::string> names;
};

int list_images(Context& ctx, const ImagesOptions& options) {
  auto loaded = ctx.load_valid_config();
  const config::Config& config = loaded.validation.config;
  auto servers = select_servers(ctx, config, options.names, options.names.empty(), "images");
  docker::Engine engine = docker::Engine::from_environment();
  bool several = servers.size() > 1;
  Json json = Json::array();
  std::vector<std::vector<std::string>> rows;
  for (const config::Server* server : servers) {
    images::ImagePlan plan = images::plan_image(*server);
    auto records = images::list_server_images(engine, server->name);
    for (const auto& record : records) {
      Json tags = record.tags;
      json.push_back({{"name", server->name},
                      {"version", record.version},
                      {"commit", record.commit},
                      {"created", record.created_text},
                      {"size", record.size},
                      {"id", record.id},
                      {"tags", tags},
                      {"current", record.current}});
      std::vector<std::string> row = {record.version.empty() ? "-" : record.version,
                                      record.commit.empty() ? "-" : record.commit.substr(0, 12),
                                      format_created(record.created),
                                      format_size(record.size),
                                      short_id(record.id).substr(7),
                                      record.current ? ctx.out.paint("*", Color::green) : ""};
      if (several) row.insert(row.begin(), server->name);
      rows.push_back(std::move(row));
    }
    if (records.empty() && !ctx.out.json() && !several)
      ctx.out.line(plan.kind == images::SourceKind::image
                       ? server->name + " has no image built by cc-mcp yet (it runs " + plan.image +
                             ", wrapped with the bridge when it lacks it)"
                       : server->name + " has no image yet (cc-mcp build " + server->name +
                             " makes one)");
  }
  if (ctx.out.json()) {
    ctx.out.print_json({{"images", json}});
    return 0;
  }
  if (rows.empty()) {
    if (several) ctx.out.line("no images built yet (cc-mcp build --all makes them)");
    return 0;
  }
  std::vector<std::string> headers = {"VERSION", "COMMIT", "CREATED", "SIZE", "ID", "CURRENT"};
  if (several) headers.insert(headers.begin(), "NAME");
  ctx.out.table(headers, rows);
  return 0;
}

}  // namespace

void add_image_commands(CommandTable& table) {
  for (bool always : {false, true}) {
    auto options = std::make_shared<BuildOptions>();
    Command command;
    command.group = "Images";
    command.path = always ? "rebuild" : "build";
    command.usage = "NAME...";
    command.summary = always ? "build images again: versions resolved anew, no cache (--all)"
                             : "build images whose inputs changed (--all, --no-cache)";
    command.details =
        always ? "The same as cc-mcp build --no-cache."
               : "Does nothing (in well under a second) when nothing that made the current image\n"
                 "changed: the source spec and its exact version or commit, a local folder's\n"
                 "content, the templates, the base images, the bridge, the build args. A\n"
                 "floating npm version or git branch keeps the version of the current image;\n"
                 "--no-cache (or cc-mcp rebuild) resolves it anew and builds without cache.";
    command.define = [options, always](CLI::App& app) {
      app.add_option("NAME", options->names, "server names");
      app.add_flag("--all", options->all, "every enabled docker server");
      if (!always)
        app.add_flag("--no-cache", options->no_cache, "resolve versions anew, build without cache");
    };
    command.run = [options, always](Context& ctx) { return build(ctx, *options, always); };
    table.push_back(std::move(command));
  }
  auto options = std::make_shared<ImagesOptions>();
  table.push_back(
      {"Images", "images", "[NAME...]",
       "list servers' images: version, commit, created, size, current",
       "cc-mcp keeps the current image of a server and the three before it (for\n"
       "rollback); older ones are removed after each build, unless a container\n"
       "still uses them.",
       [options](CLI::App& app) { app.add_option("NAME", options->names, "server names"); },
       [options](Context& ctx) { return list_images(ctx, *options); }});
}

}  // namespace ccmcp::cli
