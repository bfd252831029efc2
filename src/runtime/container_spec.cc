#include "runtime/container_spec.h"

#include <pwd.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>

#include "bridge/egress_rules.h"
#include "config/effective.h"
#include "runtime/networks.h"
#include "runtime/secret_handoff.h"
#include "util/error.h"
#include "util/sha256.h"

namespace ccmcp::runtime {

namespace fs = std::filesystem;
using Json = nlohmann::json;

std::vector<std::string> hosts_file_names(const config::Server& server) {
  std::vector<std::string> names;
  for (const auto& text : server.network.allow) {
    std::string problem;
    auto rule = bridge::parse_allow_rule(text, problem);
    if (!rule || rule->wildcard || rule->host.find(':') != std::string::npos ||
        rule->host.find_first_not_of("0123456789.") == std::string::npos)
      continue;
    if (std::find(names.begin(), names.end(), rule->host) == names.end())
      names.push_back(rule->host);
  }
  return names;
}

ContainerSpec make_container_spec(const config::Server& server, const ImageRef& image,
                                  const std::vector<std::string>& args, int port,
                                  const std::string& egress_ip, const SecretHandoff* secrets) {
  const auto& limits = server.limits;
  uint64_t memory = limits.memory_bytes.value_or(config::Defaults::memory_bytes);
  double cpus = limits.cpus.value_or(config::Defaults::cpus);
  uint32_t pids = limits.pids.value_or(config::Defaults::pids);

  Json env = Json::array();
  for (const auto& [key, value] : server.environment) env.push_back(key + "=" + value);
  if (server.network.access == config::NetworkAccess::allow) {
    // Both spellings: curl and Python read the lowercase ones, most Node
    // libraries the uppercase. (Node's own fetch reads neither.)
    std::string proxy = "http://" + std::string(kEgressAlias) + ":" + std::to_string(kEgressPort);
    for (const char* key : {"HTTPS_PROXY", "HTTP_PROXY", "https_proxy", "http_proxy"})
      env.push_back(std::string(key) + "=" + proxy);
    for (const char* key : {"NO_PROXY", "no_proxy"})
      env.push_back(std::string(key) + "=localhost,127.0.0.1");
  }
  Json binds = Json::array();
  for (const auto& volume : server.volumes)
    binds.push_back(volume.host.string() + ":" + volume.container +
                    (volume.read_only ? ":ro" : ""));
  std::string port_key = std::to_string(kContainerPort) + "/tcp";

  Json host = hardened_host_config(pids, memory, static_cast<int64_t>(std::llround(cpus * 1e9)));
  host["Binds"] = binds;
  // Alone on its own network; behind its gateway (which publishes the port)
  // unless its network is "full".
  host["NetworkMode"] = network_name_of(server.name);
  if (!egress_ip.empty()) {
    Json hosts = Json::array();
    for (const auto& name : hosts_file_names(server)) hosts.push_back(name + ":" + egress_ip);
    if (!hosts.empty()) host["ExtraHosts"] = hosts;
  }
  if (!needs_gateway(server)) host["PortBindings"] = loopback_port_binding(port);
  // Logs stay readable by `cc-mcp logs` and cannot fill the disk.
  host["LogConfig"] = {{"Type", "json-file"}, {"Config", {{"max-size", "10m"}, {"max-file", "3"}}}};

  Json body;
  body["Image"] = image.reference;
  body["User"] = kContainerUser;
  body["Env"] = env;
  if (!args.empty()) body["Cmd"] = args;
  body["ExposedPorts"] = {{port_key, Json::object()}};
  body["HostConfig"] = host;
  body["Labels"] = {
      {kLabelManaged, "true"}, {kLabelName, server.name}, {kLabelVersion, image.version}};
  if (secrets) apply_secret_handoff(body, *secrets);

  return seal_spec(config::container_name_of(server), std::move(body), image.id);
}

Json hardened_host_config(uint32_t pids, uint64_t memory_bytes, int64_t nano_cpus) {
  Json host;
  host["CapDrop"] = {"ALL"};
  host["SecurityOpt"] = {"no-new-privileges"};
  host["ReadonlyRootfs"] = true;
  host["Tmpfs"] = {{"/tmp", "rw,noexec,nosuid,size=64m"}};
  host["PidsLimit"] = pids;
  host["Memory"] = memory_bytes;
  host["NanoCpus"] = nano_cpus;
  host["RestartPolicy"] = {{"Name", "unless-stopped"}, {"MaximumRetryCount", 0}};
  return host;
}

Json loopback_port_binding(int port) {
  return {{std::to_string(kContainerPort) + "/tcp",
           Json::array({{{"HostIp", "127.0.0.1"}, {"HostPort", std::to_string(port)}}})}};
}

ContainerSpec seal_spec(std::string name, Json body, const std::string& image_id) {
  // nlohmann::json keeps object keys sorted: the same config dumps the same.
  Sha256 digest;
  digest.update(body.dump());
  digest.update("\n");
  digest.update(image_id);
  std::string hash = digest.hex_digest();
  body["Labels"][kLabelConfigHash] = hash;
  return {std::move(name), std::move(body), hash};
}

namespace {

bool is_within(const fs::path& path, const fs::path& folder) {
  auto p = path.begin();
  for (auto f = folder.begin(); f != folder.end(); ++f, ++p) {
    if (f->empty()) continue;  // a trailing separator
    if (p == path.end() || *p != *f) return false;
  }
  return true;
}

fs::path resolved(const fs::path& path) {
  std::error_code ec;
  fs::path out = fs::weakly_canonical(path, ec);
  return ec ? path.lexically_normal() : out;
}

}  // namespace

fs::path user_home_dir() {
  if (const char* home = std::getenv("HOME"); home && *home) return home;
  if (const passwd* entry = ::getpwuid(::getuid()); entry && entry->pw_dir) return entry->pw_dir;
  return "/";
}

std::vector<VolumeRefusal> refused_volumes(const config::Server& server, const fs::path& home_dir,
                                           const std::vector<fs::path>& sockets) {
  static const char* kCredentials[] = {".ssh",    ".aws",  ".gnupg",
                                       ".docker", ".kube", ".config/gcloud"};
  fs::path home = resolved(home_dir);
  std::vector<VolumeRefusal> out;
  for (const auto& volume : server.volumes) {
    fs::path host = resolved(volume.host);
    std::string reason;
    if (host == host.root_path()) {
      reason = "is the root folder /";
    } else if (host == home) {
      reason = "is the home folder itself";
    }
    for (const auto& socket : sockets) {
      if (!reason.empty()) break;
      fs::path s = resolved(socket);
      if (host == s)
        reason = "is the Docker socket";
      else if (is_within(s, host))
        reason = "holds the Docker socket " + s.string();
    }
    for (const char* name : kCredentials) {
      if (!reason.empty()) break;
      fs::path credentials = home / name;
      if (is_within(host, credentials))
        reason = "is in the credentials folder " + credentials.string();
      else if (is_within(credentials, host) && fs::exists(credentials))
        reason = "holds the credentials folder " + credentials.string();
    }
    if (!reason.empty()) out.push_back({volume.host_spec, reason});
  }
  return out;
}

void check_volumes(const config::Server& server, const fs::path& home_dir,
                   const std::vector<fs::path>& sockets, bool force) {
  if (force) return;
  auto refusals = refused_volumes(server, home_dir, sockets);
  if (refusals.empty()) return;
  const auto& first = refusals.front();
  throw Error(ErrorKind::config, quote(server.name),
              "volume " + quote(first.host_spec) + " " + first.reason +
                  ": mounting it would hand the server the host",
              "mount a narrower folder, or pass --force if you mean it");
}

}  // namespace ccmcp::runtime
