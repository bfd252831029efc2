// What a folder of source holds, and how its server starts: a Node project
// (package.json), a Python project (pyproject.toml) or a Dockerfile of its
// own, tried in that order (cc-mcp's templates build without network; a
// project's own Dockerfile often fetches and then cannot).
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace ccmcp::images {

enum class ProjectKind { node, python, dockerfile };

struct NodeProject {
  std::string name;
  std::string version;
  std::string entry;         // the script to run, relative to the project: "dist/index.js"
  bool has_build = false;    // scripts.build: run in the builder stage
  std::string engines_node;  // package.json "engines": {"node": ">=20"}; "" when none
};

struct PythonProject {
  std::string name;
  std::string version;
  std::vector<std::string> dependencies;    // [project].dependencies and requirements.txt
  std::vector<std::string> build_requires;  // [build-system].requires
  std::string script;                       // the console script to run; "" = python -m
  std::string module;                       // python -m MODULE when there is no script
};

struct DetectedProject {
  ProjectKind kind = ProjectKind::node;
  NodeProject node;
  PythonProject python;
  std::filesystem::path dockerfile;  // kind dockerfile
};

// Throws Error (build) when the folder holds none of the three, or a
// package.json / pyproject.toml that cannot be read or tells no way to start.
DetectedProject detect_project(const std::filesystem::path& dir);

// package.json of a project: `bin_name` picks one of several commands.
NodeProject read_node_project(const std::filesystem::path& dir, const std::string& bin_name = {});
PythonProject read_python_project(const std::filesystem::path& dir);

// Whether any installed package (node_modules/.package-lock.json, written
// by npm 7+) has install scripts, which then run in the builder stage.
bool has_install_scripts(const std::filesystem::path& project_dir);

}  // namespace ccmcp::images
