#include "cli/command.h"
#include "util/strings.h"

namespace ccmcp::cli {

config::ConfigLocation Context::locate_config() const {
  auto location =
      config::locate_config(options.config_given ? std::optional(options.config) : std::nullopt);
  if (out.verbosity() > 0) out.note("using " + location.path.string());
  return location;
}

config::LoadedConfig Context::load_valid_config() const {
  config::LoadedConfig loaded = config::load_valid_config(locate_config());
  for (const auto& diagnostic : loaded.validation.diagnostics) out.diagnostic(diagnostic);
  return loaded;
}

const config::Server& Context::server(const config::Config& config, const std::string& name) const {
  if (const config::Server* server = config.find(name)) return *server;
  std::string hint;
  if (auto near = nearest_match(name, config.names()))
    hint = "did you mean " + quote(*near) + "?";
  else if (config.servers.empty())
    hint = "mcp.json has no servers yet";
  else
    hint = "cc-mcp list shows the servers";
  throw Error(ErrorKind::not_found, quote(name),
              "no such server in " + config.file.filename().string(), hint);
}

}  // namespace ccmcp::cli
