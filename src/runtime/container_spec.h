// The container of a docker-mode server, as the contract shapes it: the
// body of POST /containers/create (every hardening flag, the limits with
// their defaults, bind mounts, environment, args, port 3000 published on
// 127.0.0.1 only) and the config hash that says when it must be recreated.
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "config/model.h"

namespace ccmcp::runtime {

inline constexpr const char* kLabelManaged = "dev.cc-mcp.managed";
inline constexpr const char* kLabelName = "dev.cc-mcp.name";
inline constexpr const char* kLabelVersion = "dev.cc-mcp.version";
inline constexpr const char* kLabelConfigHash = "dev.cc-mcp.config-hash";
inline constexpr int kContainerPort = 3000;
inline constexpr const char* kContainerUser = "1001:1001";

// The image the container runs, as the engine knows it.
struct ImageRef {
  std::string reference;  // "cc-mcp/filesystem:latest"
  std::string id;         // "sha256:..."
  std::string version;    // its dev.cc-mcp.version (or OCI version) label; may be empty
};

struct ContainerSpec {
  std::string name;         // "mcp-filesystem"
  nlohmann::json body;      // POST /containers/create
  std::string config_hash;  // also in body's labels
};

// Everything that shapes the container goes into the hash, the image id
// included, so a rebuilt image or a changed config means a new container.
// The container joins the server's own network (networks.h), and `port` is
// published only when that network is "full" (else its gateway publishes it).
// `args` follow the image's entrypoint (the bridge in front of the
// server's command): images::container_args(server).
// `egress_ip`: the gateway's address on the server's network, where the
// allow-list's names are sent (/etc/hosts) for clients that ignore proxies.
// `secrets`: how its secrets reach it (runtime/secret_handoff.h); null: none.
struct SecretHandoff;
ContainerSpec make_container_spec(const config::Server& server, const ImageRef& image,
                                  const std::vector<std::string>& args, int port,
                                  const std::string& egress_ip = {},
                                  const SecretHandoff* secrets = nullptr);

// The allow-list's names that /etc/hosts can carry (not wildcards, not addresses).
std::vector<std::string> hosts_file_names(const config::Server& server);

// What every container cc-mcp runs has, a server's or a gateway's: no
// capabilities, no new privileges, a read-only root with a small /tmp, the
// limits, restarted unless stopped.
nlohmann::json hardened_host_config(uint32_t pids, uint64_t memory_bytes, int64_t nano_cpus);

// {"3000/tcp": [{"HostIp": "127.0.0.1", "HostPort": "PORT"}]}: loopback only.
nlohmann::json loopback_port_binding(int port);

// The spec of `body`: its config hash (the body and the image id) in a label.
ContainerSpec seal_spec(std::string name, nlohmann::json body, const std::string& image_id);

// Mounts that would hand the server the host: "/", the home folder itself,
// the Docker socket (or a folder holding it), a credentials folder (~/.ssh,
// ~/.aws, ~/.gnupg, ~/.docker, ~/.kube, ~/.config/gcloud; inside one, or a
// folder holding one). Symlinks are resolved first.
struct VolumeRefusal {
  std::string host_spec;  // as written in mcp.json
  std::string reason;     // "is the Docker socket"
};
std::vector<VolumeRefusal> refused_volumes(const config::Server& server,
                                           const std::filesystem::path& home_dir,
                                           const std::vector<std::filesystem::path>& sockets);

// Throws Error (usage-like refusal, kind config) naming the first refused
// mount and --force, unless `force`.
void check_volumes(const config::Server& server, const std::filesystem::path& home_dir,
                   const std::vector<std::filesystem::path>& sockets, bool force);

// The user's home folder ($HOME, else the password database).
std::filesystem::path user_home_dir();

}  // namespace ccmcp::runtime
