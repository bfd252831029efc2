#include "runtime/secret_handoff.h"

#include <algorithm>

#include "docker/containers.h"
#include "images/naming.h"
#include "secrets/env_file.h"
#include "secrets/resolve.h"
#include "util/error.h"

namespace ccmcp::runtime {

void check_bridge_takes_secrets(docker::Engine& engine, const config::Server& server,
                                const ImageRef& image) {
  if (secrets::referenced_keys(server).empty()) return;
  auto inspect = docker::inspect_image(engine, image.id.empty() ? image.reference : image.id);
  std::string reads = inspect ? docker::labels_of(*inspect)[images::label::bridge_env] : "";
  if (reads.find(secrets::kEnvFileVariable) != std::string::npos) return;
  throw Error(ErrorKind::config, quote(server.name),
              "its image " + image.reference +
                  " has a cc-mcp-bridge older than secrets: the server would start without them",
              "rebuild it with this cc-mcp (cc-mcp build " + server.name + ")");
}

std::optional<SecretHandoff> hand_off_secrets(const config::Home& home,
                                              const config::Server& server) {
  if (secrets::referenced_keys(server).empty()) return std::nullopt;
  secrets::ResolvedEnvironment environment = secrets::resolve_environment(home, server);
  SecretHandoff handoff;
  handoff.host_file = secrets::write_env_file(home, server.name, environment);
  for (const auto& [name, value] : environment.secret) handoff.variables.push_back(name);
  handoff.digest = environment.digest;
  return handoff;
}

void apply_secret_handoff(nlohmann::json& body, const SecretHandoff& handoff) {
  nlohmann::json env = nlohmann::json::array();
  for (const auto& entry : body["Env"]) {
    std::string text = entry.get<std::string>();
    std::string name = text.substr(0, text.find('='));
    if (std::find(handoff.variables.begin(), handoff.variables.end(), name) ==
        handoff.variables.end())
      env.push_back(text);
  }
  env.push_back(std::string(secrets::kEnvFileVariable) + "=" + secrets::kEnvFileInContainer);
  body["Env"] = env;
  // Mounts, not Binds: a missing source (after a reboot) is an error, not
  // a folder the engine makes in its place.
  body["HostConfig"]["Mounts"].push_back({{"Type", "bind"},
                                          {"Source", handoff.host_file.string()},
                                          {"Target", secrets::kEnvFileInContainer},
                                          {"ReadOnly", true}});
  body["Labels"][kLabelSecretsDigest] = handoff.digest;
}

}  // namespace ccmcp::runtime
