#include "cli/runtime_support.h"

#include "config/effective.h"
#include "docker/containers.h"
#include "runtime/lifecycle.h"

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

runtime::ImageRef obtain_image(const Context&, docker::Engine& engine, const config::Config&,
                               const config::Server& server, const config::Home&) {
  std::string reference = config::image_of(server);
  auto image = docker::inspect_image(engine, reference);
  if (!image)
    throw Error(ErrorKind::build, quote(server.name),
                "its image " + quote(reference) + " is not in the Docker engine",
                "build or load it first (docker images lists what is there)");
  return {reference, image->value("Id", ""), runtime::image_version(*image)};
}

}  // namespace ccmcp::cli
