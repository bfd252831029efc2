#include "marketplace/uninstaller.h"

#include "config/effective.h"
#include "config/store.h"
#include "images/catalog.h"
#include "runtime/containers.h"
#include "runtime/external.h"
#include "runtime/lifecycle.h"
#include "secrets/env_file.h"
#include "secrets/store.h"
#include "util/strings.h"

namespace ccmcp::marketplace {

using Json = nlohmann::ordered_json;

UninstallResult uninstall_server(docker::Engine* engine, runtime::StateStore& state,
                                 const config::ConfigLocation& location,
                                 const config::Server& server, bool purge) {
  UninstallResult result;
  result.name = server.name;
  const config::Home& home = state.home();
  // What runs goes first: an entry gone from mcp.json with its container
  // still serving would be out of every command's reach.
  if (server.mode == config::Mode::docker || purge) {
    if (!engine) throw Error(ErrorKind::internal, "uninstall", "needs the engine");
    result.container_removed = runtime::remove_docker_server(*engine, server);
  }
  if (server.mode == config::Mode::external)
    result.process_stopped = runtime::external::stop(home, server.name);
  secrets::remove_env_file(home, server.name);

  config::update_config(location, [&](const config::LoadedConfig&, Json& root) {
    if (!root.contains("mcpServers") || !root["mcpServers"].contains(server.name))
      throw Error(ErrorKind::not_found, quote(server.name),
                  "left " + location.display + " while it was being uninstalled", "");
    root["mcpServers"].erase(server.name);
  });
  for (const auto& volume : server.volumes) result.volumes_kept.push_back(volume.host.string());
  if (!purge) return result;

  for (const auto& image : images::list_server_images(*engine, server.name)) {
    engine->del("/images/" + docker::url_encode(image.id) + "?force=1",
                "image " + quote(image.id.substr(0, 19)));
    if (image.tags.empty()) {
      result.images_removed.push_back(image.id.substr(0, 19));
    } else {
      for (const auto& tag : image.tags) result.images_removed.push_back(tag);
    }
  }
  std::error_code ec;
  std::filesystem::path clone = home.sources_dir() / server.name;
  if (std::filesystem::exists(clone, ec)) {
    std::filesystem::remove_all(clone, ec);
    if (ec)
      throw Error(ErrorKind::io, clone.string(), "cannot remove: " + ec.message(),
                  "remove it by hand");
    result.clone_removed = true;
  }
  result.secrets_removed = secrets::SecretStore(home).remove_server(server.name);
  state.update([&](Json& root) {
    if (root.contains("servers") && root["servers"].contains(server.name)) {
      root["servers"].erase(server.name);
      result.state_forgotten = true;
    }
  });
  return result;
}

}  // namespace ccmcp::marketplace
