// The nested blocks of a server entry: volumes, environment, limits, source
// and docker.
#include <regex>

#include "config/units.h"
#include "config/validator.h"
#include "secrets/reference.h"
#include "util/error.h"
#include "util/strings.h"

namespace ccmcp::config::detail {

namespace {
constexpr uint64_t kDockerMinimumMemory = 6ull << 20;  // the engine refuses less
}

StringPairs Validator::check_string_map(const Json& value, const JsonPath& path, bool env_names) {
  StringPairs pairs;
  if (!expect_object(value, path, " of strings")) return pairs;
  for (const auto& [key, item] : value.items()) {
    JsonPath at = child(path, key);
    if (env_names && !is_valid_env_name(key))
      key_error(at, quote(key) + " is not a valid variable name",
                "use letters, digits and '_', not starting with a digit");
    if (!item.is_string()) {
      error(at, std::string("must be a string, not ") + json_type_name(item), quote_hint(item));
      continue;
    }
    if (env_names) {
      // "${secret:KEY}": resolved where the server starts (secrets/resolve.h).
      auto references = secrets::parse_references(item.get<std::string>());
      if (references.problem) error(at, *references.problem, references.hint);
    }
    pairs.emplace_back(key, item.get<std::string>());
  }
  return pairs;
}

void Validator::check_volumes(Server& server, const Json& value, const JsonPath& path) {
  if (value.is_object()) {
    for (const auto& [host, target] : value.items()) {
      JsonPath at = child(path, host);
      if (!target.is_string()) {
        error(at, std::string("must be a container path string, not ") + json_type_name(target),
              "write \"./data\": \"/data\" or \"/data:ro\"");
        continue;
      }
      check_volume(server, host, target.get<std::string>(), at);
    }
  } else if (value.is_array()) {
    // The docker-compose form: ["./data:/data:ro"].
    for (size_t i = 0; i < value.size(); ++i) {
      JsonPath at = child(path, i);
      const Json& item = value[i];
      auto colon = item.is_string() ? item.get_ref<const std::string&>().find(':') : npos;
      if (colon == npos) {
        error(at, "must be a string \"HOST:CONTAINER[:ro]\"", "e.g. \"./data:/data:ro\"");
        continue;
      }
      const auto& text = item.get_ref<const std::string&>();
      check_volume(server, text.substr(0, colon), text.substr(colon + 1), at);
    }
  } else {
    error(path,
          std::string("must be an object of host path to container path, not ") +
              json_type_name(value),
          "e.g. {\"./project\": \"/workspace\"}");
  }
}

void Validator::check_volume(Server& server, const std::string& host, const std::string& target,
                             const JsonPath& path) {
  VolumeMount mount;
  mount.host_spec = host;
  mount.container = target;
  for (const char* suffix : {":ro", ":rw"}) {
    if (target.size() > 3 && target.compare(target.size() - 3, 3, suffix) == 0) {
      mount.container = target.substr(0, target.size() - 3);
      mount.read_only = suffix[1] == 'r' && suffix[2] == 'o';
    }
  }
  bool ok = true;
  if (host.empty()) {
    key_error(path, "the host path is empty", "use \".\" for the folder of mcp.json");
    ok = false;
  }
  if (mount.container.empty() || mount.container.front() != '/' ||
      mount.container.find(':') != std::string::npos) {
    error(path, quote(target) + " is not an absolute container path",
          "write e.g. \"/workspace\" or \"/workspace:ro\"");
    ok = false;
  } else if (mount.container == "/") {
    error(path, "cannot mount over the container's root", "pick a folder such as /workspace");
    ok = false;
  }
  for (const auto& other : server.volumes)
    if (ok && other.container == mount.container)
      error(path, "two volumes mount at " + quote(mount.container), "give each its own path");
  if (!ok) return;
  mount.host = resolve(host);
  std::error_code ec;
  if (!std::filesystem::exists(mount.host, ec))
    warning(path, "the host path " + quote(mount.host.string()) + " does not exist",
            "create it before starting the server");
  server.volumes.push_back(std::move(mount));
}

void Validator::check_limits(Server& server, const Json& value, const JsonPath& path) {
  if (!expect_object(value, path, "")) return;
  check_known_keys(value, path, {"memory", "cpus", "pids"});
  if (auto it = value.find("memory"); it != value.end()) {
    JsonPath at = child(path, "memory");
    std::optional<uint64_t> bytes;
    if (it->is_string())
      bytes = parse_size(it->get<std::string>());
    else if (it->is_number_unsigned())
      bytes = it->get<uint64_t>();
    if (!bytes) {
      error(at, (it->is_string() ? quote(it->get<std::string>()) : it->dump()) + " is not a size",
            "use e.g. 512m or 1g");
    } else if (*bytes < kDockerMinimumMemory) {
      error(at, quote(format_size(*bytes)) + " is below Docker's minimum of 6m",
            "use e.g. 128m or more");
    } else {
      server.limits.memory_bytes = bytes;
    }
  }
  if (auto it = value.find("cpus"); it != value.end()) {
    JsonPath at = child(path, "cpus");
    std::optional<double> cpus;
    if (it->is_string())
      cpus = parse_cpus(it->get<std::string>());
    else if (it->is_number() && it->get<double>() > 0)
      cpus = it->get<double>();
    if (!cpus)
      error(at,
            (it->is_string() ? quote(it->get<std::string>()) : it->dump()) +
                " is not a positive number of cpus",
            "use e.g. 0.5 or 2");
    else
      server.limits.cpus = cpus;
  }
  if (auto it = value.find("pids"); it != value.end()) {
    if (!it->is_number_unsigned() || it->get<uint64_t>() == 0 || it->get<uint64_t>() > 1u << 22)
      error(child(path, "pids"), it->dump() + " is not a process count",
            "use a whole number such as 256");
    else
      server.limits.pids = static_cast<uint32_t>(it->get<uint64_t>());
  }
}

std::optional<Source> Validator::check_source(const Json& value, const JsonPath& path) {
  if (!expect_object(value, path, "")) return std::nullopt;
  check_known_keys(value, path,
                   {"type", "repository", "path", "branch", "tag", "commit", "package", "version",
                    "updatePolicy", "checkInterval"});
  Source source;
  auto type = string_at(value, path, "type", /*required=*/true);
  if (!type) return std::nullopt;
  bool ok = true;
  auto unused = [&](std::initializer_list<const char*> keys) {
    for (const char* key : keys)
      if (value.contains(key))
        warning(child(path, key),
                std::string("\"") + key + "\" is not used by " + (*type == "npm" ? "an " : "a ") +
                    *type + " source",
                "ignored");
  };
  if (*type == "git") {
    source.type = SourceType::git;
    auto repository = string_at(value, path, "repository", true);
    ok = ok && repository;
    if (repository) source.repository = *repository;
    if (auto sub = string_at(value, path, "path")) {
      std::filesystem::path p = *sub;
      bool escapes = p.is_absolute();
      for (const auto& part : p) escapes = escapes || part == "..";
      if (escapes) {
        error(child(path, "path"), quote(*sub) + " leaves the repository",
              "give a folder inside it, e.g. \"src/filesystem\"");
        ok = false;
      }
      source.subpath = *sub;
    }
    int refs = 0;
    for (auto [key, field] : {std::pair{"branch", &source.branch}, std::pair{"tag", &source.tag},
                              std::pair{"commit", &source.commit}}) {
      if (auto ref = string_at(value, path, key)) {
        *field = *ref;
        ++refs;
      }
    }
    if (refs > 1) {
      error(path, "more than one of \"branch\", \"tag\" and \"commit\"", "keep one of them");
      ok = false;
    }
    static const std::regex hex("[0-9a-f]{7,40}");
    if (!source.commit.empty() && !std::regex_match(source.commit, hex)) {
      error(child(path, "commit"), quote(source.commit) + " is not a commit id",
            "use 7 to 40 lowercase hex digits");
      ok = false;
    }
    unused({"package", "version"});
  } else if (*type == "npm") {
    source.type = SourceType::npm;
    auto package = string_at(value, path, "package", true);
    if (package && !is_valid_npm_package(*package)) {
      error(child(path, "package"), quote(*package) + " is not an npm package name",
            "e.g. @modelcontextprotocol/server-filesystem");
      ok = false;
    }
    ok = ok && package;
    if (package) source.package = *package;
    if (auto version = string_at(value, path, "version")) source.version = *version;
    unused({"repository", "branch", "tag", "commit", "path"});
  } else if (*type == "local") {
    source.type = SourceType::local;
    auto local = string_at(value, path, "path", true);
    ok = ok && local;
    if (local) {
      source.local_path = resolve(*local);
      std::error_code ec;
      if (!std::filesystem::is_directory(source.local_path, ec)) {
        error(child(path, "path"),
              "the folder " + quote(source.local_path.string()) + " does not exist",
              "paths are relative to the folder of mcp.json");
        ok = false;
      }
    }
    unused({"repository", "branch", "tag", "commit", "package", "version"});
  } else {
    std::string hint = "use \"git\", \"npm\" or \"local\"";
    if (auto near = nearest_match(*type, {"git", "npm", "local"}))
      hint = "did you mean " + quote(*near) + "?";
    error(child(path, "type"), quote(*type) + " is not a source type", hint);
    return std::nullopt;
  }
  if (auto policy = string_at(value, path, "updatePolicy")) {
    if (*policy == "startup")
      source.update_policy = UpdatePolicy::startup;
    else if (*policy == "manual")
      source.update_policy = UpdatePolicy::manual;
    else if (*policy == "scheduled")
      source.update_policy = UpdatePolicy::scheduled;
    else {
      error(child(path, "updatePolicy"), quote(*policy) + " is not an update policy",
            "use \"startup\", \"manual\" or \"scheduled\"");
      ok = false;
    }
  }
  if (auto interval = string_at(value, path, "checkInterval")) {
    auto seconds = parse_duration(*interval);
    if (!seconds || seconds->count() == 0) {
      error(child(path, "checkInterval"), quote(*interval) + " is not a duration",
            "use e.g. 30m, 24h or 7d");
      ok = false;
    } else if (*seconds < std::chrono::minutes(1)) {
      error(child(path, "checkInterval"), quote(*interval) + " is shorter than a minute",
            "checking a source that often only loads its host; use e.g. 30m");
      ok = false;
    } else {
      source.check_interval = seconds;
      source.check_interval_text = *interval;
    }
  }
  if (!ok) return std::nullopt;
  return source;
}

std::optional<DockerBuild> Validator::check_docker(const Json& value, const JsonPath& path) {
  if (!expect_object(value, path, "")) return std::nullopt;
  check_known_keys(
      value, path,
      {"image", "dockerfile", "context", "baseImage", "builderImage", "buildArgs", "buildNetwork"});
  DockerBuild build;
  for (auto [key, field] :
       {std::pair{"image", &build.image}, std::pair{"baseImage", &build.base_image},
        std::pair{"builderImage", &build.builder_image}}) {
    if (auto ref = string_at(value, path, key)) {
      if (!is_valid_image_reference(*ref))
        error(child(path, key), quote(*ref) + " is not a valid image reference",
              "e.g. node:20-alpine; repository names are lowercase");
      *field = *ref;
    }
  }
  if (auto dockerfile = string_at(value, path, "dockerfile")) {
    build.dockerfile = resolve(*dockerfile);
    std::error_code ec;
    if (!std::filesystem::is_regular_file(*build.dockerfile, ec))
      error(child(path, "dockerfile"),
            "the file " + quote(build.dockerfile->string()) + " does not exist",
            "paths are relative to the folder of mcp.json");
  }
  if (auto context = string_at(value, path, "context")) {
    build.context = resolve(*context);
    std::error_code ec;
    if (!std::filesystem::is_directory(*build.context, ec))
      error(child(path, "context"),
            "the folder " + quote(build.context->string()) + " does not exist",
            "paths are relative to the folder of mcp.json");
  }
  if (build.context && !build.dockerfile)
    warning(child(path, "context"), "\"context\" is used only with \"dockerfile\"", "ignored");
  if (auto it = value.find("buildArgs"); it != value.end())
    build.build_args = check_string_map(*it, child(path, "buildArgs"), /*env_names=*/false);
  // Off by default: a build is hermetic, everything fetched on the host.
  build.build_network = bool_at(value, path, "buildNetwork").value_or(false);
  return build;
}

}  // namespace ccmcp::config::detail
