// Which images the templates build FROM. The runtime base is
// docker.baseImage, else $CC_MCP_NODE_BASE / $CC_MCP_PYTHON_BASE, else the
// defaults node:20-alpine / python:3.12-alpine. A default that is neither
// here nor pullable gives way to the local Debian-made base that
// scripts/base-images makes (cc-mcp/node:18, cc-mcp/python:3.11), with a
// note; a base the user named must be had. The Node builder stage needs npm:
// docker.builderImage, else cc-mcp/node-build:18 on the local base (which
// has no npm), else the base itself (the official node images have it).
#pragma once

#include <string>

#include "docker/engine.h"
#include "images/reporter.h"

namespace ccmcp::images {

enum class Runtime { node, python };

inline constexpr const char* kDefaultNodeBase = "node:20-alpine";
inline constexpr const char* kDefaultPythonBase = "python:3.12-alpine";
inline constexpr const char* kLocalNodeBase = "cc-mcp/node:18";
inline constexpr const char* kLocalPythonBase = "cc-mcp/python:3.11";
inline constexpr const char* kLocalNodeBuilder = "cc-mcp/node-build:18";

struct ImageChoice {
  std::string reference;
  std::string id;              // "" when missing (only when not required)
  std::string python_version;  // python bases: "3.11" when the image tells
};

// `may_pull`: a missing image may be pulled (a build); without it (the
// no-op check) nothing leaves this machine and the choice is the same as a
// build would make where pulls fail.
ImageChoice choose_base(docker::Engine& engine, Runtime runtime, const std::string& configured,
                        bool may_pull, BuildReporter& reporter);

// The builder stage of a Node build. `required`: throw when it is missing.
ImageChoice choose_node_builder(docker::Engine& engine, const ImageChoice& base,
                                const std::string& configured, bool required, bool may_pull,
                                BuildReporter& reporter);

}  // namespace ccmcp::images
