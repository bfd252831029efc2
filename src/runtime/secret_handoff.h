// How a docker-mode server gets its secrets (secrets/env_file.h): the file
// on the host tmpfs written at start, bind-mounted read-only, named to the
// bridge by $CC_MCP_ENV_FILE; the container's Env keeps only the other
// variables, and a keyed digest of the values in a label (so in the config
// hash) recreates the container when a secret changes.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "config/home.h"
#include "config/model.h"
#include "docker/engine.h"
#include "runtime/container_spec.h"

namespace ccmcp::runtime {

inline constexpr const char* kLabelSecretsDigest = "dev.cc-mcp.secrets-digest";

struct SecretHandoff {
  std::filesystem::path host_file;
  std::vector<std::string> variables;  // the names the file sets, kept out of Env
  std::string digest;
};

// Refuses (Error config, nothing written) an image whose bridge predates
// secrets (its dev.cc-mcp.bridge-env label does not name CC_MCP_ENV_FILE):
// it would start the server without them. Nothing to check when the
// server's environment refers to no secret.
void check_bridge_takes_secrets(docker::Engine& engine, const config::Server& server,
                                const ImageRef& image);

// Resolves the server's secrets and writes its file; nullopt when its
// environment refers to none. Throws the "not set" Error before writing.
std::optional<SecretHandoff> hand_off_secrets(const config::Home& home,
                                              const config::Server& server);

// make_container_spec (container_spec.h) puts the handoff's part of the
// create body (Env, the mount, the digest label) in before the hash.
void apply_secret_handoff(nlohmann::json& body, const SecretHandoff& handoff);

}  // namespace ccmcp::runtime
