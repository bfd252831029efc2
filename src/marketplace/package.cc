#include "marketplace/package.h"

#include "config/units.h"
#include "util/error.h"

namespace ccmcp::marketplace {

using config::child;
using config::Diagnostic;
using config::JsonPath;
using Json = nlohmann::ordered_json;

namespace {

// Walks one package, recording what is wrong where.
class Reader {
 public:
  Reader(const config::JsoncDocument& document, std::string display,
         std::vector<Diagnostic>& diagnostics)
      : document_(document), display_(std::move(display)), diagnostics_(diagnostics) {}

  void error(const JsonPath& path, std::string problem, std::string hint = {}) {
    Diagnostic diagnostic;
    diagnostic.severity = config::Severity::error;
    diagnostic.file = display_;
    diagnostic.pos = document_.pos_of(path);
    diagnostic.path = config::path_to_string(path);
    diagnostic.problem = std::move(problem);
    diagnostic.hint = std::move(hint);
    diagnostics_.push_back(std::move(diagnostic));
    ++errors_;
  }

  const Json* at(const Json& object, const char* key) {
    if (!object.is_object() || !object.contains(key)) return nullptr;
    return &object[key];
  }

  std::optional<std::string> text(const Json& object, const JsonPath& path, const char* key,
                                  bool required = false) {
    const Json* value = at(object, key);
    if (!value) {
      if (required) error(path, "has no " + quote(key), "every package needs one");
      return std::nullopt;
    }
    if (!value->is_string()) {
      error(child(path, key), "must be a string");
      return std::nullopt;
    }
    return value->get<std::string>();
  }

  std::vector<std::string> strings(const Json& object, const JsonPath& path, const char* key) {
    std::vector<std::string> out;
    const Json* value = at(object, key);
    if (!value) return out;
    if (!value->is_array()) {
      error(child(path, key), "must be a list of strings");
      return out;
    }
    for (size_t i = 0; i < value->size(); ++i) {
      if (!(*value)[i].is_string())
        error(child(child(path, key), i), "must be a string");
      else
        out.push_back((*value)[i].get<std::string>());
    }
    return out;
  }

  config::StringPairs pairs(const Json& object, const JsonPath& path, const char* key) {
    config::StringPairs out;
    const Json* value = at(object, key);
    if (!value) return out;
    if (!value->is_object()) {
      error(child(path, key), "must be an object of strings");
      return out;
    }
    for (const auto& [name, item] : value->items()) {
      if (!item.is_string())
        error(child(child(path, key), name), "must be a string");
      else
        out.emplace_back(name, item.get<std::string>());
    }
    return out;
  }

  bool flag(const Json& object, const JsonPath& path, const char* key) {
    const Json* value = at(object, key);
    if (!value) return false;
    if (!value->is_boolean()) {
      error(child(path, key), "must be true or false");
      return false;
    }
    return value->get<bool>();
  }

  size_t errors() const { return errors_; }

 private:
  const config::JsoncDocument& document_;
  std::string display_;
  std::vector<Diagnostic>& diagnostics_;
  size_t errors_ = 0;
};

void read_source(Reader& r, const Json& object, const JsonPath& path, Package& package) {
  const Json* source = r.at(object, "source");
  JsonPath at = child(path, "source");
  if (!source) {
    r.error(path, "has no \"source\"",
            "say where it comes from: {\"type\": \"npm\", \"url\": ...}");
    return;
  }
  if (!source->is_object()) {
    r.error(at, "must be an object", "{\"type\": \"npm\", \"url\": \"@scope/package\"}");
    return;
  }
  package.source.type = r.text(*source, at, "type", true).value_or("");
  package.source.url = r.text(*source, at, "url", true).value_or("");
  package.source.path = r.text(*source, at, "path").value_or("");
  const auto& type = package.source.type;
  if (!type.empty() && type != "npm" && type != "git" && type != "docker")
    r.error(child(at, "type"), quote(type) + " is not a source type", "npm, git or docker");
}

void read_config(Reader& r, const Json& object, const JsonPath& path, Package& package) {
  const Json* block = r.at(object, "config");
  if (!block) return;
  JsonPath at = child(path, "config");
  if (!block->is_object()) {
    r.error(at, "must be an object");
    return;
  }
  package.volumes = r.pairs(*block, at, "volumes");
  package.environment = r.pairs(*block, at, "environment");
  package.args = r.strings(*block, at, "args");
  package.capabilities = r.strings(*block, at, "capabilities");
  if (const Json* limits = r.at(*block, "limits")) {
    if (!limits->is_object())
      r.error(child(at, "limits"), "must be an object", "{\"memory\": \"1g\", \"cpus\": 2}");
    else
      package.limits = nlohmann::json::parse(limits->dump());
  }
  if (const Json* network = r.at(*block, "network")) {
    if (!network->is_object() && !network->is_string())
      r.error(child(at, "network"), "must be \"none\", \"full\" or an object",
              "{\"allow\": [\"api.example.com:443\"]}");
    else
      package.network = nlohmann::json::parse(network->dump());
  }
  if (const Json* ports = r.at(*block, "ports")) {
    if (!ports->is_array()) {
      r.error(child(at, "ports"), "must be a list of port numbers");
    } else {
      for (size_t i = 0; i < ports->size(); ++i) {
        const Json& port = (*ports)[i];
        if (!port.is_number_integer() || port.get<int>() < 1 || port.get<int>() > 65535)
          r.error(child(child(at, "ports"), i), "must be a port number (1-65535)");
        else
          package.ports.push_back(port.get<int>());
      }
    }
  }
}

void read_variables(Reader& r, const Json& object, const JsonPath& path, Package& package) {
  const Json* list = r.at(object, "environmentVariables");
  if (!list) return;
  JsonPath at = child(path, "environmentVariables");
  if (!list->is_array()) {
    r.error(at, "must be a list of {\"name\", \"isRequired\", \"isSecret\"}");
    return;
  }
  for (size_t i = 0; i < list->size(); ++i) {
    const Json& item = (*list)[i];
    JsonPath item_at = child(at, i);
    if (!item.is_object()) {
      r.error(item_at, "must be an object with a \"name\"");
      continue;
    }
    EnvironmentVariable variable;
    variable.name = r.text(item, item_at, "name", true).value_or("");
    variable.description = r.text(item, item_at, "description").value_or("");
    variable.required = r.flag(item, item_at, "isRequired");
    variable.secret = r.flag(item, item_at, "isSecret");
    variable.default_value = r.text(item, item_at, "default").value_or("");
    if (!variable.name.empty()) package.variables.push_back(std::move(variable));
  }
}

}  // namespace

std::optional<Package> read_package(const config::JsoncDocument& document, const JsonPath& path,
                                    const std::string& display,
                                    std::vector<Diagnostic>& diagnostics) {
  const Json* object = &document.root;
  for (const auto& elem : path) {
    if (std::holds_alternative<std::string>(elem))
      object = &(*object)[std::get<std::string>(elem)];
    else
      object = &(*object)[std::get<size_t>(elem)];
  }
  Reader r(document, display, diagnostics);
  if (!object->is_object()) {
    r.error(path, "a package must be an object");
    return std::nullopt;
  }
  Package package;
  package.file = display;
  package.line = document.pos_of(path).line;
  package.name = r.text(*object, path, "name", true).value_or("");
  if (!package.name.empty() && !config::is_valid_server_name(package.name))
    r.error(child(path, "name"), quote(package.name) + " is not a usable server name",
            "letters, digits, '.', '_' and '-'");
  package.title = r.text(*object, path, "title").value_or("");
  package.version = r.text(*object, path, "version").value_or("");
  package.description = r.text(*object, path, "description", true).value_or("");
  package.author = r.text(*object, path, "author").value_or("");
  package.keywords = r.strings(*object, path, "keywords");
  read_source(r, *object, path, package);
  if (const Json* docker = r.at(*object, "docker")) {
    JsonPath at = child(path, "docker");
    if (!docker->is_object()) {
      r.error(at, "must be an object");
    } else {
      package.dockerfile = r.text(*docker, at, "dockerfile").value_or("");
      package.base_image = r.text(*docker, at, "baseImage").value_or("");
      package.build_args = r.pairs(*docker, at, "buildArgs");
    }
  }
  read_config(r, *object, path, package);
  read_variables(r, *object, path, package);
  if (const Json* tests = r.at(*object, "tests")) {
    if (!tests->is_object())
      r.error(child(path, "tests"), "must be an object (connection, timeout, calls)");
    else
      package.tests = nlohmann::json::parse(tests->dump());
  }
  if (const Json* security = r.at(*object, "security")) {
    JsonPath at = child(path, "security");
    if (!security->is_object()) {
      r.error(at, "must be an object");
    } else {
      package.permissions = r.strings(*security, at, "permissions");
      package.sandbox = r.text(*security, at, "sandbox").value_or("");
    }
  }
  package.versions = r.strings(*object, path, "versions");
  package.min_version = r.text(*object, path, "minVersion").value_or("");
  if (const Json* rating = r.at(*object, "rating")) {
    if (!rating->is_number() || rating->get<double>() < 0 || rating->get<double>() > 5)
      r.error(child(path, "rating"), "must be a number from 0 to 5");
    else
      package.rating = rating->get<double>();
  }
  if (const Json* count = r.at(*object, "ratingCount")) {
    if (!count->is_number_integer() || count->get<int>() < 0)
      r.error(child(path, "ratingCount"), "must be a whole number");
    else
      package.rating_count = count->get<int>();
  }
  package.remotes = r.strings(*object, path, "remotes");
  package.platforms = r.strings(*object, path, "platforms");
  for (size_t i = 0; i < package.platforms.size(); ++i)
    if (package.platforms[i].find('/') == std::string::npos)
      r.error(child(child(path, "platforms"), i),
              quote(package.platforms[i]) + " is not OS/ARCHITECTURE", "e.g. \"linux/amd64\"");
  if (r.errors()) return std::nullopt;
  return package;
}

std::vector<Package> read_packages(const std::string& text, const std::string& display,
                                   std::vector<Diagnostic>& diagnostics) {
  std::vector<Package> out;
  auto parsed = config::parse_jsonc(text);
  if (auto* problem = std::get_if<config::ParseProblem>(&parsed)) {
    Diagnostic diagnostic;
    diagnostic.file = display;
    diagnostic.pos = problem->pos;
    diagnostic.problem = problem->problem;
    diagnostic.hint = problem->hint;
    diagnostics.push_back(std::move(diagnostic));
    return out;
  }
  const auto& document = std::get<config::JsoncDocument>(parsed);
  JsonPath list_path;
  const Json* list = &document.root;
  if (document.root.is_object() && document.root.contains("packages")) {
    list_path = {std::string("packages")};
    list = &document.root["packages"];
  }
  if (list->is_array()) {
    for (size_t i = 0; i < list->size(); ++i)
      if (auto package = read_package(document, child(list_path, i), display, diagnostics))
        out.push_back(std::move(*package));
  } else if (auto package = read_package(document, list_path, display, diagnostics)) {
    out.push_back(std::move(*package));
  }
  return out;
}

Json to_json(const Package& package) {
  Json variables = Json::array();
  for (const auto& v : package.variables)
    variables.push_back({{"name", v.name},
                         {"description", v.description},
                         {"isRequired", v.required},
                         {"isSecret", v.secret}});
  Json volumes = Json::object(), environment = Json::object();
  for (const auto& [host, container] : package.volumes) volumes[host] = container;
  for (const auto& [key, value] : package.environment) environment[key] = value;
  Json out = {
      {"name", package.name},
      {"title", package.title},
      {"version", package.version},
      {"description", package.description},
      {"author", package.author},
      {"keywords", package.keywords},
      {"source",
       {{"type", package.source.type}, {"url", package.source.url}, {"path", package.source.path}}},
      {"config",
       {{"volumes", volumes},
        {"environment", environment},
        {"args", package.args},
        {"ports", package.ports},
        {"capabilities", package.capabilities},
        {"limits", package.limits.is_null() ? Json::object() : Json::parse(package.limits.dump())},
        {"network",
         package.network.is_null() ? Json("none") : Json::parse(package.network.dump())}}},
      {"environmentVariables", variables},
      {"security", {{"permissions", package.permissions}, {"sandbox", package.sandbox}}},
      {"versions", package.versions},
      {"minVersion", package.min_version},
      {"rating", package.rating ? Json(*package.rating) : Json(nullptr)},
      {"ratingCount", package.rating_count ? Json(*package.rating_count) : Json(nullptr)},
      {"remotes", package.remotes},
      {"platforms", package.platforms},
      {"registryName", package.registry_name},
      {"serverVersion", package.server_version},
      {"catalog", package.catalog},
      {"file", package.file}};
  if (!package.tests.is_null()) out["tests"] = Json::parse(package.tests.dump());
  return out;
}

}  // namespace ccmcp::marketplace
