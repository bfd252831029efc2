// npm packages, fetched with the host's npm and nothing else: versions are
// resolved with `npm view`, packages installed with --ignore-scripts, so no
// code from a package runs on the host (install scripts and builds run
// inside the image build; see images/dockerfile.h).
#pragma once

#include <chrono>
#include <filesystem>
#include <string>

namespace ccmcp::sources {

// The exact version `spec` (a version, range or dist-tag; "" = latest) of
// `package` names on the registry. Throws Error (build): no such package,
// no version matching, registry unreachable, npm missing.
// `timeout` bounds npm's run (it is then killed).
std::string npm_resolve_version(const std::string& package, const std::string& spec,
                                std::chrono::milliseconds timeout = std::chrono::minutes(2));

// True when `spec` names one exact version ("1.2.3", "1.2.3-beta.1").
bool is_exact_npm_version(const std::string& spec);

// Installs package@version and its production dependencies into `prefix`
// (prefix/node_modules, prefix/package.json, prefix/package-lock.json).
void npm_install_package(const std::string& package, const std::string& version,
                         const std::filesystem::path& prefix);

// Installs the dependencies of the project in `dir` (npm ci when it has a
// lock file): all of them when `with_dev` (a build step will need them),
// else production ones only.
void npm_install_project(const std::filesystem::path& dir, bool with_dev);

}  // namespace ccmcp::sources
