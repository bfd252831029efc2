#include "images/project.h"

#include <cpptoml.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <sstream>

#include "util/error.h"
#include "util/fs.h"

namespace ccmcp::images {

namespace {

constexpr uint64_t kMaxManifestBytes = 4ull << 20;

bool is_file(const std::filesystem::path& path) {
  std::error_code ec;
  return std::filesystem::is_regular_file(path, ec);
}

// "./dist/index.js" -> "dist/index.js"; refuses paths that leave the project.
std::string project_relative(const std::string& text, const std::filesystem::path& manifest) {
  std::filesystem::path path = std::filesystem::path(text).lexically_normal();
  bool escapes = path.is_absolute() || path.empty();
  for (const auto& part : path) escapes = escapes || part == "..";
  if (escapes)
    throw Error(ErrorKind::build, manifest.string(), quote(text) + " points outside the project",
                "its bin or main must be a file inside it");
  return path.string();
}

std::string unscoped(const std::string& name) {
  auto slash = name.find('/');
  return slash == std::string::npos ? name : name.substr(slash + 1);
}

}  // namespace

NodeProject read_node_project(const std::filesystem::path& dir, const std::string& bin_name) {
  std::filesystem::path manifest = dir / "package.json";
  auto json = nlohmann::json::parse(read_text_file(manifest, manifest.string(), kMaxManifestBytes),
                                    nullptr, false);
  if (!json.is_object())
    throw Error(ErrorKind::build, manifest.string(), "is not a JSON object",
                "a Node project needs a valid package.json");
  NodeProject project;
  project.name = json.value("name", "");
  project.version = json.value("version", "");
  if (auto engines = json.find("engines"); engines != json.end() && engines->is_object())
    if (auto node = engines->find("node"); node != engines->end() && node->is_string())
      project.engines_node = node->get<std::string>();
  if (auto scripts = json.find("scripts"); scripts != json.end() && scripts->is_object())
    project.has_build = scripts->contains("build");
  std::string entry;
  auto bin = json.find("bin");
  if (bin != json.end() && bin->is_string()) {
    entry = bin->get<std::string>();
  } else if (bin != json.end() && bin->is_object() && !bin->empty()) {
    // Several commands: the one asked for, else the one named like the
    // package, else the only one, else the first by name.
    std::vector<std::string> names;
    for (const auto& [name, value] : bin->items())
      if (value.is_string()) names.push_back(name);
    std::sort(names.begin(), names.end());
    std::string pick;
    if (!bin_name.empty()) {
      if (!bin->contains(bin_name))
        throw Error(
            ErrorKind::build, quote(bin_name), "is not a command of " + quote(project.name),
            "it has: " + [&] {
              std::string all;
              for (const auto& n : names) all += (all.empty() ? "" : ", ") + n;
              return all;
            }());
      pick = bin_name;
    } else if (bin->contains(unscoped(project.name))) {
      pick = unscoped(project.name);
    } else if (!names.empty()) {
      pick = names.front();
    }
    if (!pick.empty()) entry = (*bin)[pick].get<std::string>();
  }
  if (entry.empty() && json.contains("main") && json["main"].is_string())
    entry = json["main"].get<std::string>();
  if (entry.empty() && is_file(dir / "index.js")) entry = "index.js";
  if (entry.empty())
    throw Error(ErrorKind::build, manifest.string(), "names no command to run",
                "give the package a \"bin\" or \"main\"");
  project.entry = project_relative(entry, manifest);
  return project;
}

PythonProject read_python_project(const std::filesystem::path& dir) {
  std::filesystem::path manifest = dir / "pyproject.toml";
  std::istringstream text(read_text_file(manifest, manifest.string(), kMaxManifestBytes));
  std::shared_ptr<cpptoml::table> toml;
  try {
    toml = cpptoml::parser(text).parse();
  } catch (const cpptoml::parse_exception& error) {
    throw Error(ErrorKind::build, manifest.string(),
                std::string("is not valid TOML: ") + error.what(), "fix the file");
  }
  PythonProject project;
  project.name = toml->get_qualified_as<std::string>("project.name").value_or("");
  project.version = toml->get_qualified_as<std::string>("project.version").value_or("");
  if (auto deps = toml->get_qualified_array_of<std::string>("project.dependencies"))
    project.dependencies = *deps;
  if (auto requires_ = toml->get_qualified_array_of<std::string>("build-system.requires"))
    project.build_requires = *requires_;
  else  // PEP 517's fallback when a project names no build system
    project.build_requires = {"setuptools>=40.8.0", "wheel"};
  std::filesystem::path requirements = dir / "requirements.txt";
  if (is_file(requirements)) {
    std::istringstream lines(
        read_text_file(requirements, requirements.string(), kMaxManifestBytes));
    for (std::string line; std::getline(lines, line);) {
      line = line.substr(0, line.find('#'));
      while (!line.empty() && std::isspace(static_cast<unsigned char>(line.back())))
        line.pop_back();
      size_t start = line.find_first_not_of(" \t");
      if (start == std::string::npos) continue;
      line = line.substr(start);
      if (line[0] == '-')  // -r, -e, --index-url: not for an offline install
        throw Error(ErrorKind::build, requirements.string(), "uses " + quote(line),
                    "cc-mcp reads plain requirement lines only");
      project.dependencies.push_back(line);
    }
  }
  if (auto scripts = toml->get_table_qualified("project.scripts")) {
    std::vector<std::string> names;
    for (const auto& [name, value] : *scripts) names.push_back(name);
    std::sort(names.begin(), names.end());
    if (std::find(names.begin(), names.end(), project.name) != names.end())
      project.script = project.name;
    else if (!names.empty())
      project.script = names.front();
  }
  if (project.script.empty()) {
    if (project.name.empty())
      throw Error(ErrorKind::build, manifest.string(), "names neither a project nor a script",
                  "add [project] name and [project.scripts]");
    project.module = project.name;
    std::replace(project.module.begin(), project.module.end(), '-', '_');
  }
  return project;
}

DetectedProject detect_project(const std::filesystem::path& dir) {
  DetectedProject detected;
  if (is_file(dir / "package.json")) {
    detected.kind = ProjectKind::node;
    detected.node = read_node_project(dir);
  } else if (is_file(dir / "pyproject.toml")) {
    detected.kind = ProjectKind::python;
    detected.python = read_python_project(dir);
  } else if (is_file(dir / "Dockerfile")) {
    detected.kind = ProjectKind::dockerfile;
    detected.dockerfile = dir / "Dockerfile";
  } else {
    throw Error(ErrorKind::build, dir.string(),
                "holds no package.json, pyproject.toml or Dockerfile",
                "cc-mcp builds Node and Python projects, or a folder with its own Dockerfile");
  }
  return detected;
}

bool has_install_scripts(const std::filesystem::path& project_dir) {
  std::filesystem::path lock = project_dir / "node_modules" / ".package-lock.json";
  if (!is_file(lock)) return false;
  auto json =
      nlohmann::json::parse(read_text_file(lock, lock.string(), 1ull << 30), nullptr, false);
  if (!json.is_object() || !json.contains("packages") || !json["packages"].is_object())
    return false;
  for (const auto& [path, entry] : json["packages"].items())
    if (entry.is_object() && entry.value("hasInstallScript", false)) return true;
  return false;
}

}  // namespace ccmcp::images
