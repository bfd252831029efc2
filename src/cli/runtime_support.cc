#include "cli/runtime_support.h"

#include <cmath>

#include "cli/build_progress.h"
#include "config/effective.h"
#include "docker/containers.h"
#include "images/ensure.h"
#include "runtime/lifecycle.h"
#include "updates/check.h"

namespace ccmcp::cli {

std::vector<const config::Server*> pick_servers(const Context& ctx, const config::Config& config,
                                                const std::vector<std::string>& names, bool all,
                                                const std::string& verb) {
  if (!names.empty() && all)
    throw Error(ErrorKind::usage, "cc-mcp " + verb, "takes server names or --all, not both",
                "e.g. cc-mcp " + verb + " --all");
  std::vector<const config::Server*> out;
  if (all) {
    for (const auto& server : config.servers)
      if (server.enabled()) out.push_back(&server);
    return out;
  }
  if (names.empty())
    throw Error(ErrorKind::usage, "cc-mcp " + verb, "needs a server name or --all",
                "e.g. cc-mcp " + verb + " filesystem");
  for (const auto& name : names) {
    const config::Server* server = &ctx.server(config, name);
    if (std::find(out.begin(), out.end(), server) == out.end()) out.push_back(server);
  }
  return out;
}

std::vector<const config::Server*> servers_with_source(const Context& ctx,
                                                       const config::Config& config,
                                                       const std::vector<std::string>& names,
                                                       const std::string& verb) {
  auto picked = pick_servers(ctx, config, names, names.empty(), verb);
  std::vector<const config::Server*> servers;
  for (const auto* server : picked) {
    if (updates::has_update_source(*server)) {
      servers.push_back(server);
    } else if (!names.empty()) {
      throw Error(ErrorKind::usage, quote(server->name),
                  server->mode == config::Mode::docker
                      ? "has no source to update from (it runs a ready image or a Dockerfile)"
                      : "runs in external mode: cc-mcp does not build it, so it has no updates",
                  "give it a \"source\" (npm, git or local) in mcp.json");
    }
  }
  return servers;
}

std::chrono::milliseconds timeout_option(double seconds) {
  if (!(seconds > 0) || seconds > 3600)
    throw Error(ErrorKind::usage, "--timeout",
                quote(std::to_string(seconds)) + " is not a number of seconds",
                "give 1 to 3600, e.g. --timeout 60");
  return std::chrono::milliseconds(std::llround(seconds * 1000));
}

runtime::ImageRef obtain_image(const Context& ctx, docker::Engine& engine,
                               const config::Config& config, const config::Server& server,
                               const config::Home& home) {
  BuildProgressPrinter progress(ctx.out, server.name);
  images::ImageInfo info =
      images::ensure_image(engine, config, server, home, images::BuildWhen::missing, progress);
  progress.finish();
  std::string version = info.version;
  if (version.empty())
    if (auto image = docker::inspect_image(engine, info.id.empty() ? info.reference : info.id))
      version = runtime::image_version(*image);
  return {info.reference, info.id, version};
}

}  // namespace ccmcp::cli
