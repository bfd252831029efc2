#include "marketplace/entry.h"

#include <algorithm>

#include "util/error.h"
#include "util/strings.h"

namespace ccmcp::marketplace {

using Json = nlohmann::ordered_json;

namespace {

// "./sub/dir" when `path` is inside `dir`, else the absolute path.
std::string relative_to(const std::filesystem::path& path, const std::filesystem::path& dir) {
  std::filesystem::path relative = path.lexically_relative(dir);
  if (relative.empty() || *relative.begin() == "..") return path.string();
  if (relative == ".") return ".";
  return "./" + relative.string();
}

}  // namespace

std::vector<VolumeChoice> choose_volumes(const Package& package,
                                         const std::vector<std::string>& given,
                                         const std::filesystem::path& cwd,
                                         const std::filesystem::path& config_dir) {
  std::vector<VolumeChoice> out;
  for (const auto& [host, container] : package.volumes) {
    VolumeChoice choice{host, container, false, true};
    if (choice.container.size() > 3 &&
        choice.container.compare(choice.container.size() - 3, 3, ":ro") == 0) {
      choice.container.resize(choice.container.size() - 3);
      choice.read_only = true;
    }
    out.push_back(std::move(choice));
  }
  for (const auto& text : given) {
    std::string rest = text;
    bool read_only = false;
    if (rest.size() > 3 && rest.compare(rest.size() - 3, 3, ":ro") == 0) {
      read_only = true;
      rest.resize(rest.size() - 3);
    } else if (rest.size() > 3 && rest.compare(rest.size() - 3, 3, ":rw") == 0) {
      rest.resize(rest.size() - 3);
    }
    auto colon = rest.rfind(':');
    if (colon == std::string::npos || colon == 0 || colon + 1 >= rest.size() ||
        rest[colon + 1] != '/')
      throw Error(ErrorKind::usage, "--volume " + quote(text), "is not HOST:CONTAINER",
                  "e.g. --volume ~/notes:/workspace or --volume ./data:/data:ro");
    std::filesystem::path host = rest.substr(0, colon);
    if (host.is_relative()) host = cwd / host;
    host = host.lexically_normal();
    if (host.has_filename() == false && host.has_parent_path()) host = host.parent_path();
    VolumeChoice choice{relative_to(host, config_dir.lexically_normal()), rest.substr(colon + 1),
                        read_only, false};
    auto same = std::find_if(out.begin(), out.end(), [&](const VolumeChoice& v) {
      return v.container == choice.container;
    });
    if (same != out.end() && !same->from_package)
      throw Error(ErrorKind::usage, "--volume " + quote(text),
                  "mounts at " + quote(choice.container) + " like another --volume",
                  "give each container path once");
    if (same != out.end())
      *same = std::move(choice);
    else
      out.push_back(std::move(choice));
  }
  return out;
}

config::StringPairs parse_environment(const std::vector<std::string>& given) {
  config::StringPairs out;
  for (const auto& text : given) {
    auto equals = text.find('=');
    if (equals == std::string::npos || equals == 0)
      throw Error(ErrorKind::usage, "--env " + quote(text), "is not KEY=VALUE",
                  "e.g. --env GITHUB_TOKEN=...");
    std::string key = text.substr(0, equals);
    auto same = std::find_if(out.begin(), out.end(), [&](const auto& p) { return p.first == key; });
    if (same != out.end())
      same->second = text.substr(equals + 1);
    else
      out.emplace_back(key, text.substr(equals + 1));
  }
  return out;
}

EntryChoices default_choices(const Package& package, const std::string& version) {
  EntryChoices choices;
  choices.version = version;
  choices.volumes = choose_volumes(package, {}, {}, {});
  return choices;
}

Json server_entry(const Package& package, const EntryChoices& choices) {
  Json entry = Json::object();
  if (!choices.enabled) entry["disabled"] = true;
  entry["mode"] = "docker";
  if (!package.description.empty()) entry["description"] = package.description;
  const std::string& version = choices.version;
  Json source;
  if (package.source.type == "npm") {
    source = {{"type", "npm"}, {"package", package.source.url}};
    if (!version.empty()) source["version"] = version;
  } else if (package.source.type == "git") {
    source = {{"type", "git"}, {"repository", package.source.url}};
    if (!package.source.path.empty()) source["path"] = package.source.path;
    if (!version.empty()) source["tag"] = version;
  }
  if (!source.is_null()) {
    source["updatePolicy"] = "manual";
    entry["source"] = source;
  } else {
    entry["image"] = package.source.url + (version.empty() ? "" : ":" + version);
  }
  if (!choices.volumes.empty()) {
    Json volumes = Json::object();
    for (const auto& volume : choices.volumes)
      volumes[volume.host] = volume.container + (volume.read_only ? ":ro" : "");
    entry["volumes"] = volumes;
  }
  Json environment = Json::object();
  for (const auto& [key, value] : package.environment) environment[key] = value;
  for (const auto& [key, value] : choices.environment) environment[key] = value;
  for (const auto& variable : package.variables)
    if (variable.required && !environment.contains(variable.name))
      environment[variable.name] = variable.default_value.empty() ? "<" + variable.description + ">"
                                                                  : variable.default_value;
  if (!environment.empty()) entry["environment"] = environment;
  if (!package.args.empty()) entry["args"] = package.args;
  if (package.limits.is_object() && !package.limits.empty())
    entry["limits"] = Json::parse(package.limits.dump());
  if (!package.network.is_null()) entry["network"] = Json::parse(package.network.dump());
  if (!package.dockerfile.empty() || !package.base_image.empty() || !package.build_args.empty()) {
    Json docker = Json::object();
    if (!package.dockerfile.empty()) {
      // Written beside the package file: mcp.json must name it from anywhere.
      std::filesystem::path dockerfile = package.dockerfile;
      std::filesystem::path file = package.file;
      if (dockerfile.is_relative() && file.is_absolute())
        dockerfile = (file.parent_path() / dockerfile).lexically_normal();
      docker["dockerfile"] = dockerfile.string();
    }
    if (!package.base_image.empty()) docker["baseImage"] = package.base_image;
    if (!package.build_args.empty()) {
      Json args = Json::object();
      for (const auto& [key, value] : package.build_args) args[key] = value;
      docker["buildArgs"] = args;
    }
    entry["docker"] = docker;
  }
  return entry;
}

}  // namespace ccmcp::marketplace
