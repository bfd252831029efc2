#include "marketplace/server_json.h"

#include <cctype>

#include "config/units.h"

namespace ccmcp::marketplace {

using nlohmann::json;

namespace {

std::string text_at(const json& object, const char* key) {
  if (!object.is_object()) return {};
  auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

bool flag_at(const json& object, const char* key) {
  auto it = object.find(key);
  return it != object.end() && it->is_boolean() && it->get<bool>();
}

// The package cc-mcp would run: stdio (or no transport said), npm first.
const json* chosen_package(const json& server) {
  auto packages = server.find("packages");
  if (packages == server.end() || !packages->is_array()) return nullptr;
  for (const char* type : {"npm", "oci", "pypi"})
    for (const auto& item : *packages) {
      if (!item.is_object() || text_at(item, "registryType") != type) continue;
      std::string transport = item.contains("transport") ? text_at(item["transport"], "type") : "";
      if (transport.empty() || transport == "stdio") return &item;
    }
  return nullptr;
}

// packageArguments: positional ones as their value, named ones as
// "--name value" (or "--name=value" when the name carries '=').
std::vector<std::string> arguments_of(const json& package) {
  std::vector<std::string> out;
  auto list = package.find("packageArguments");
  if (list == package.end() || !list->is_array()) return out;
  for (const auto& argument : *list) {
    if (!argument.is_object()) continue;
    std::string value = text_at(argument, "value");
    if (value.empty()) value = text_at(argument, "default");
    if (text_at(argument, "type") == "named") {
      std::string name = text_at(argument, "name");
      if (name.empty()) continue;
      out.push_back(name);
      if (!value.empty()) out.push_back(value);
    } else if (!value.empty()) {
      out.push_back(value);
    }
  }
  return out;
}

}  // namespace

std::string short_name(const std::string& registry_name) {
  std::string last = registry_name.substr(registry_name.rfind('/') + 1);
  std::string out;
  for (char c : last) {
    unsigned char u = static_cast<unsigned char>(c);
    out += std::isalnum(u) || c == '.' || c == '_' || c == '-' ? static_cast<char>(std::tolower(u))
                                                               : '-';
  }
  while (!out.empty() && !std::isalnum(static_cast<unsigned char>(out[0]))) out.erase(0, 1);
  if (out.size() > 63) out.resize(63);
  return out;
}

std::optional<Package> package_from_server_json(const json& server, const std::string& display,
                                                std::vector<config::Diagnostic>& diagnostics) {
  auto problem = [&](const std::string& key, const std::string& text) {
    config::Diagnostic diagnostic;
    diagnostic.file = display;
    diagnostic.pos.line = 0;
    diagnostic.path = key;
    diagnostic.problem = text;
    diagnostic.hint = "a server.json of schema 2025-12-11 has name, description and version";
    diagnostics.push_back(std::move(diagnostic));
    return std::nullopt;
  };
  if (!server.is_object()) return problem("", "a server entry must be an object");
  Package package;
  package.registry_name = text_at(server, "name");
  if (package.registry_name.empty()) return problem("name", "is missing");
  package.name = short_name(package.registry_name);
  if (!config::is_valid_server_name(package.name))
    return problem("name", "\"" + package.registry_name + "\" gives no usable server name");
  package.description = text_at(server, "description");
  if (package.description.empty())
    return problem(package.registry_name + ".description", "is missing");
  package.title = text_at(server, "title");
  std::string server_version = text_at(server, "version");
  if (server_version.empty()) return problem(package.registry_name + ".version", "is missing");
  package.keywords = {package.registry_name};
  if (server.contains("repository")) {
    std::string url = text_at(server["repository"], "url");
    // "https://github.com/owner/repo": the owner is the best author there is.
    auto host_end = url.find("://");
    if (host_end != std::string::npos) {
      auto owner_start = url.find('/', host_end + 3);
      auto owner_end =
          owner_start == std::string::npos ? owner_start : url.find('/', owner_start + 1);
      if (owner_start != std::string::npos)
        package.author = url.substr(owner_start + 1, owner_end == std::string::npos
                                                         ? std::string::npos
                                                         : owner_end - owner_start - 1);
    }
  }
  if (auto remotes = server.find("remotes"); remotes != server.end() && remotes->is_array())
    for (const auto& remote : *remotes) {
      std::string url = text_at(remote, "url");
      if (!url.empty()) package.remotes.push_back(url + " (" + text_at(remote, "type") + ")");
    }
  if (const json* chosen = chosen_package(server)) {
    std::string type = text_at(*chosen, "registryType");
    package.source.type = type == "oci" ? "docker" : type;
    package.source.url = text_at(*chosen, "identifier");
    package.version = text_at(*chosen, "version");
    if (type == "oci" && package.source.url.find(':') != std::string::npos) package.version.clear();
    package.args = arguments_of(*chosen);
    if (auto list = chosen->find("environmentVariables"); list != chosen->end() && list->is_array())
      for (const auto& item : *list) {
        EnvironmentVariable variable;
        variable.name = text_at(item, "name");
        if (variable.name.empty()) continue;
        variable.description = text_at(item, "description");
        variable.required = flag_at(item, "isRequired");
        variable.secret = flag_at(item, "isSecret");
        variable.default_value = text_at(item, "default");
        package.variables.push_back(std::move(variable));
      }
  }
  package.server_version = server_version;
  return package;
}

}  // namespace ccmcp::marketplace
