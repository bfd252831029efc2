#include "config/validate.h"

#include "config/npx.h"
#include "config/units.h"
#include "config/validator.h"
#include "util/error.h"
#include "util/strings.h"

namespace ccmcp::config {

namespace detail {

const char* json_type_name(const Json& value) {
  switch (value.type()) {
    case Json::value_t::null:
      return "null";
    case Json::value_t::boolean:
      return "a boolean";
    case Json::value_t::string:
      return "a string";
    case Json::value_t::array:
      return "an array";
    case Json::value_t::object:
      return "an object";
    case Json::value_t::number_float:
      return "a number";
    default:
      return "a number";
  }
}

std::string quote_hint(const Json& value) {
  if (!value.is_number() && !value.is_boolean()) return {};
  return "quote it: \"" + value.dump() + "\"";
}

Validator::Validator(const JsoncDocument& doc, std::filesystem::path file, std::string display_name)
    : doc_(doc),
      file_(std::move(file)),
      dir_(file_.parent_path()),
      display_name_(std::move(display_name)) {
  result_.config.file = file_;
  result_.config.dir = dir_;
}

void Validator::error(const JsonPath& path, std::string problem, std::string hint) {
  result_.diagnostics.push_back({Severity::error, display_name_, doc_.pos_of(path),
                                 path_to_string(path), std::move(problem), std::move(hint)});
}

void Validator::key_error(const JsonPath& path, std::string problem, std::string hint) {
  result_.diagnostics.push_back({Severity::error, display_name_, doc_.key_pos_of(path),
                                 path_to_string(path), std::move(problem), std::move(hint)});
}

void Validator::warning(const JsonPath& path, std::string problem, std::string hint) {
  result_.diagnostics.push_back({Severity::warning, display_name_, doc_.key_pos_of(path),
                                 path_to_string(path), std::move(problem), std::move(hint)});
}

void Validator::check_known_keys(const Json& object, const JsonPath& path,
                                 std::initializer_list<const char*> known) {
  std::vector<std::string> names(known.begin(), known.end());
  for (const auto& [key, value] : object.items()) {
    if (std::find(names.begin(), names.end(), key) != names.end()) continue;
    std::string hint = "ignored";
    if (auto nearest = nearest_match(key, names)) hint += "; did you mean " + quote(*nearest) + "?";
    warning(child(path, key), "unknown key " + quote(key), hint);
  }
}

bool Validator::expect_object(const Json& value, const JsonPath& path, const char* what) {
  if (value.is_object()) return true;
  error(path, std::string("must be an object") + what + ", not " + json_type_name(value));
  return false;
}

std::optional<std::string> Validator::string_at(const Json& object, const JsonPath& path,
                                                const char* key, bool required) {
  auto it = object.find(key);
  JsonPath at = child(path, key);
  if (it == object.end()) {
    if (required) error(path, std::string("\"") + key + "\" is missing");
    return std::nullopt;
  }
  if (!it->is_string()) {
    error(at, std::string("must be a string, not ") + json_type_name(*it), quote_hint(*it));
    return std::nullopt;
  }
  if (it->get_ref<const std::string&>().empty()) {
    error(at, "must not be empty");
    return std::nullopt;
  }
  return it->get<std::string>();
}

std::optional<bool> Validator::bool_at(const Json& object, const JsonPath& path, const char* key) {
  auto it = object.find(key);
  if (it == object.end()) return std::nullopt;
  if (!it->is_boolean()) {
    error(child(path, key), std::string("must be true or false, not ") + json_type_name(*it));
    return std::nullopt;
  }
  return it->get<bool>();
}

std::filesystem::path Validator::resolve(const std::string& text) const {
  std::filesystem::path path = text;
  if (text == "~" || text.rfind("~/", 0) == 0) {
    const char* home = std::getenv("HOME");
    path = std::filesystem::path(home ? home : "/") / text.substr(text.size() > 1 ? 2 : 1);
  } else if (path.is_relative()) {
    path = dir_ / path;
  }
  path = path.lexically_normal();
  // "dir/" and "dir" are the same folder; keep the form without the slash.
  if (path.has_relative_path() && path.filename().empty()) path = path.parent_path();
  return path;
}

Validation Validator::run() {
  for (const auto& soft : doc_.soft_problems)
    result_.diagnostics.push_back(
        {Severity::error, display_name_, soft.pos, "", soft.problem, soft.hint});

  const Json& root = doc_.root;
  if (!root.is_object()) {
    error({}, std::string("the file must hold an object, not ") + json_type_name(root),
          "start from {\"mcpServers\": {}}");
    return std::move(result_);
  }
  check_known_keys(root, {}, {"mcpServers", "$schema"});
  auto servers = root.find("mcpServers");
  if (servers == root.end()) {
    error({}, "\"mcpServers\" is missing", "add \"mcpServers\": {}");
    return std::move(result_);
  }
  JsonPath servers_path{std::string("mcpServers")};
  if (!expect_object(*servers, servers_path, " of servers by name")) return std::move(result_);
  for (const auto& [name, value] : servers->items())
    check_server(name, value, child(servers_path, name));
  return std::move(result_);
}

void Validator::check_server(const std::string& name, const Json& value, const JsonPath& path) {
  if (!is_valid_server_name(name))
    key_error(path, "server name " + quote(name) + " is not allowed",
              "use 1 to 63 characters of a-z, 0-9, '.', '_' and '-', starting with a letter "
              "or digit");
  if (!expect_object(value, path, "")) return;
  check_known_keys(
      value, path,
      {"mode", "disabled", "enabled", "description", "type", "command", "args", "env",
       "environment", "image", "volumes", "limits", "source", "docker", "network", "audit"});
  Server server;
  server.name = name;

  if (auto type = string_at(value, path, "type"); type && *type != "stdio")
    error(child(path, "type"),
          "type " + quote(*type) + " is a remote server, which cc-mcp does not run",
          "keep remote servers in your client's own config, or remove \"type\"");

  auto disabled = bool_at(value, path, "disabled");
  auto enabled = bool_at(value, path, "enabled");
  if (disabled && enabled && *disabled == *enabled)
    error(child(path, "enabled"), "contradicts \"disabled\"", "keep only one of the two");
  server.disabled = disabled.value_or(false) || !enabled.value_or(true);
  if (auto it = value.find("audit"); it != value.end()) {
    if (it->is_boolean())
      server.audit = it->get<bool>();
    else
      error(child(path, "audit"), std::string("must be true or false, not ") + json_type_name(*it),
            "write false to turn the audit log off; leave it out to keep it on");
  }

  if (auto command = string_at(value, path, "command")) server.command = *command;
  if (auto it = value.find("args"); it != value.end()) {
    JsonPath args_path = child(path, "args");
    if (!it->is_array()) {
      error(args_path, std::string("must be an array of strings, not ") + json_type_name(*it),
            "write [\"--flag\", \"value\"]");
    } else {
      for (size_t i = 0; i < it->size(); ++i) {
        const Json& arg = (*it)[i];
        if (arg.is_string()) {
          server.args.push_back(arg.get<std::string>());
        } else {
          error(child(args_path, i), std::string("must be a string, not ") + json_type_name(arg),
                quote_hint(arg));
        }
      }
    }
  }

  bool has_env = value.contains("env"), has_environment = value.contains("environment");
  if (has_env && has_environment)
    key_error(child(path, "env"), "both \"env\" and \"environment\" are set", "keep one of them");
  for (const char* key : {"environment", "env"}) {
    if (auto it = value.find(key); it != value.end()) {
      auto pairs = check_string_map(*it, child(path, key), /*env_names=*/true);
      server.environment.insert(server.environment.end(), pairs.begin(), pairs.end());
    }
  }

  if (auto image = string_at(value, path, "image")) {
    if (!is_valid_image_reference(*image))
      error(child(path, "image"), quote(*image) + " is not a valid image reference",
            "e.g. cc-mcp/filesystem:latest; repository names are lowercase");
    server.image = *image;
  }
  if (auto it = value.find("volumes"); it != value.end())
    check_volumes(server, *it, child(path, "volumes"));
  if (auto it = value.find("limits"); it != value.end())
    check_limits(server, *it, child(path, "limits"));
  if (auto it = value.find("source"); it != value.end())
    server.source = check_source(*it, child(path, "source"));
  if (auto it = value.find("docker"); it != value.end())
    server.docker = check_docker(*it, child(path, "docker"));

  bool has_docker_image =
      !server.image.empty() || value.contains("source") ||
      (server.docker && (!server.docker->image.empty() || server.docker->dockerfile.has_value()));
  bool mode_known = true;  // an unknown mode has its own error; what it needs is moot
  if (auto mode = string_at(value, path, "mode")) {
    server.mode_explicit = true;
    if (*mode == "docker") {
      server.mode = Mode::docker;
    } else if (*mode == "external") {
      server.mode = Mode::external;
    } else {
      mode_known = false;
      std::string hint = "use \"docker\" or \"external\"";
      if (auto near = nearest_match(*mode, {"docker", "external"}))
        hint = "did you mean " + quote(*near) + "?";
      error(child(path, "mode"), quote(*mode) + " is not a mode", hint);
    }
  } else {
    server.mode = value.contains("command") || !has_docker_image ? Mode::external : Mode::docker;
  }
  bool has_command = value.contains("command");
  if (!server.mode_explicit && !has_command && !has_docker_image) {
    error(path, "nothing to run: no command, image or source",
          "add \"command\" (and \"args\") to run it on the host, or \"image\" or a "
          "\"source\" block to run it in docker");
  } else if (mode_known && server.mode == Mode::docker && !has_docker_image &&
             !parse_npx(server.command, server.args)) {
    // (A phase-2 npx command names an npm package: cc-mcp builds that.)
    error(path, "a docker server needs an image or a source",
          "add \"image\": \"...\" or a \"source\" block, or set \"mode\": \"external\"");
  } else if (mode_known && server.mode == Mode::external && !has_command) {
    error(path, "an external server needs a command",
          "add \"command\": \"...\", or set \"mode\": \"docker\"");
  }
  if (auto it = value.find("network"); it != value.end()) {
    check_network(server, *it, child(path, "network"));
    // A host process reaches whatever its user can: a rule would only seem to hold.
    if (mode_known && server.mode == Mode::external)
      error(child(path, "network"), "network rules apply to docker mode only",
            "set \"mode\": \"docker\" so that they hold, or remove \"network\"");
  }
  result_.config.servers.push_back(std::move(server));
}

}  // namespace detail

Validation validate(const JsoncDocument& doc, const std::filesystem::path& file,
                    const std::string& display_name) {
  return detail::Validator(doc, file, display_name).run();
}

}  // namespace ccmcp::config
