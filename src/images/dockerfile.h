// The Dockerfile templates, one per kind of build. Every image they make
// keeps the image contract (see README, "Images"): the static bridge as the
// entrypoint in front of the server's command, uid 1001, WORKDIR /app,
// port 3000, a HEALTHCHECK that needs no shell. Labels are not written here:
// they go on with the build request, so that a new date never spoils the
// layer cache.
#pragma once

#include <string>
#include <vector>

namespace ccmcp::images {

inline constexpr const char* kBridgePath = "/usr/local/bin/cc-mcp-bridge";
inline constexpr int kBridgePort = 3000;

enum class Template {
  node,          // an installed npm package or Node project, copied in
  node_builder,  // the same with a builder stage: install scripts, npm run build, prune
  python,        // a Python project installed into a venv from host-fetched wheels
  wrap,          // FROM an existing image: the bridge put in front of its command
};

const char* to_string(Template kind);

struct TemplateInput {
  std::string what;                      // for the comment line: "npm @x/y@1.2.3"
  std::string base;                      // FROM of the final stage (an image id for wrap)
  std::string builder;                   // node_builder: FROM of the builder stage
  std::vector<std::string> build_steps;  // node_builder: shell commands, joined with &&
  std::vector<std::string> command;      // the server's command inside the image
  std::string workdir = "/app";
};

// The Dockerfile text. Throws Error (build) for a command that a Dockerfile
// cannot hold (a newline in it) or an empty one.
std::string render_dockerfile(Template kind, const TemplateInput& input);

// The ENTRYPOINT array: bridge, its options, "--", the command.
std::vector<std::string> bridge_entrypoint(const std::vector<std::string>& command);

// sha256 of every template's fixed text: part of the no-op key, so that a
// new cc-mcp whose templates changed rebuilds.
std::string templates_digest();

}  // namespace ccmcp::images
