// What mcp.json asks to be built for a docker server, decided from the
// config alone (nothing fetched, the engine not asked): the kind of source,
// the exact spec, the build options, and the arguments the container gets.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "config/model.h"

namespace ccmcp::images {

enum class SourceKind {
  npm,         // an npm package (source.type npm, or a phase-2 npx command)
  git,         // a git repository: package.json, pyproject.toml or its Dockerfile
  local,       // a local folder: the same detection
  dockerfile,  // docker.dockerfile: the user's Dockerfile, wrapped with the bridge
  image,       // a ready image: used as it is, or wrapped when it lacks the bridge
};

const char* to_string(SourceKind kind);

struct ImagePlan {
  SourceKind kind = SourceKind::npm;
  std::string server;      // the server's name
  std::string repository;  // cc-mcp/NAME
  // What mcp.json asked for, in one line: "npm @x/y@latest",
  // "git URL tag v1 path srv", "local /abs", "dockerfile /abs/Dockerfile in /abs",
  // "image ghcr.io/x/y:1". Recorded in the image; a changed spec rebuilds.
  std::string spec;
  config::Source source;                      // npm, git, local (npm also for an npx command)
  std::string npm_bin;                        // npx -p PKG BIN: which of the package's commands
  std::filesystem::path dockerfile, context;  // dockerfile
  std::string image;                          // image
  std::string base_image;                     // docker.baseImage; "" = the defaults
  std::string builder_image;                  // docker.builderImage; "" = chosen from the base
  config::StringPairs build_args;
  bool build_network = false;
  // The container's command arguments, appended by the runtime after the
  // image's entrypoint (bridge -- server command): mcp.json "args", less the
  // npx words of a phase-2 entry.
  std::vector<std::string> server_args;
};

// Throws Error (build) for a server cc-mcp cannot build an image for: an
// external one, or a docker one with nothing to build or pull.
ImagePlan plan_image(const config::Server& server);

}  // namespace ccmcp::images
