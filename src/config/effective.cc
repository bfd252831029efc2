#include "config/effective.h"

#include "config/units.h"

namespace ccmcp::config {

std::string image_of(const Server& server) {
  if (!server.image.empty()) return server.image;
  if (server.docker && !server.docker->image.empty()) return server.docker->image;
  return "cc-mcp/" + server.name + ":latest";
}

std::string container_name_of(const Server& server) {
  return "mcp-" + server.name;
}

Json network_json(const NetworkPolicy& network) {
  if (network.access == NetworkAccess::allow) return {{"allow", network.allow}};
  return to_string(network.access);
}

namespace {

Json pairs_json(const StringPairs& pairs) {
  Json out = Json::object();
  for (const auto& [key, value] : pairs) out[key] = value;
  return out;
}

Json source_json(const Source& source, Json& defaults) {
  Json out;
  out["type"] = to_string(source.type);
  switch (source.type) {
    case SourceType::git:
      out["repository"] = source.repository;
      if (!source.subpath.empty()) out["path"] = source.subpath;
      if (!source.branch.empty()) out["branch"] = source.branch;
      if (!source.tag.empty()) out["tag"] = source.tag;
      if (!source.commit.empty()) out["commit"] = source.commit;
      if (source.branch.empty() && source.tag.empty() && source.commit.empty()) {
        out["branch"] = nullptr;  // the remote's default branch
        defaults.push_back("source.branch");
      }
      break;
    case SourceType::npm:
      out["package"] = source.package;
      out["version"] = source.version.empty() ? "latest" : source.version;
      if (source.version.empty()) defaults.push_back("source.version");
      break;
    case SourceType::local:
      out["path"] = source.local_path.string();
      break;
  }
  out["updatePolicy"] = to_string(source.update_policy.value_or(Defaults::update_policy));
  if (!source.update_policy) defaults.push_back("source.updatePolicy");
  out["checkInterval"] = source.check_interval ? source.check_interval_text
                                               : std::string(Defaults::check_interval_text);
  if (!source.check_interval) defaults.push_back("source.checkInterval");
  return out;
}

}  // namespace

Json effective_json(const Server& server) {
  Json out;
  Json defaults = Json::array();
  out["name"] = server.name;
  out["mode"] = to_string(server.mode);
  if (!server.mode_explicit) defaults.push_back("mode");
  out["enabled"] = server.enabled();
  if (server.mode == Mode::docker) {
    out["image"] = image_of(server);
    if (server.image.empty() && !(server.docker && !server.docker->image.empty()))
      defaults.push_back("image");
    out["container"] = container_name_of(server);
    out["network"] = network_json(server.network);
    if (!server.network.written) defaults.push_back("network");
  }
  if (!server.command.empty()) out["command"] = server.command;
  out["args"] = server.args;
  out["environment"] = pairs_json(server.environment);
  Json volumes = Json::array();
  for (const auto& volume : server.volumes)
    volumes.push_back({{"host", volume.host.string()},
                       {"container", volume.container},
                       {"readOnly", volume.read_only}});
  out["volumes"] = volumes;
  Json limits;
  limits["memory"] = format_size(server.limits.memory_bytes.value_or(Defaults::memory_bytes));
  if (!server.limits.memory_bytes) defaults.push_back("limits.memory");
  limits["cpus"] = server.limits.cpus.value_or(Defaults::cpus);
  if (!server.limits.cpus) defaults.push_back("limits.cpus");
  limits["pids"] = server.limits.pids.value_or(Defaults::pids);
  if (!server.limits.pids) defaults.push_back("limits.pids");
  out["limits"] = limits;
  out["audit"] = server.audited();
  if (!server.audit) defaults.push_back("audit");
  if (server.source) out["source"] = source_json(*server.source, defaults);
  if (server.docker) {
    Json docker;
    if (!server.docker->image.empty()) docker["image"] = server.docker->image;
    if (server.docker->dockerfile) docker["dockerfile"] = server.docker->dockerfile->string();
    if (server.docker->dockerfile)
      docker["context"] =
          server.docker->context.value_or(server.docker->dockerfile->parent_path()).string();
    if (!server.docker->base_image.empty()) docker["baseImage"] = server.docker->base_image;
    if (!server.docker->builder_image.empty())
      docker["builderImage"] = server.docker->builder_image;
    docker["buildArgs"] = pairs_json(server.docker->build_args);
    if (server.docker->build_network) docker["buildNetwork"] = true;
    out["docker"] = docker;
  }
  out["defaults"] = defaults;
  return out;
}

}  // namespace ccmcp::config
