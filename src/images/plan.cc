#include "images/plan.h"

#include "config/npx.h"
#include "images/naming.h"
#include "util/error.h"

namespace ccmcp::images {

const char* to_string(SourceKind kind) {
  switch (kind) {
    case SourceKind::npm:
      return "npm";
    case SourceKind::git:
      return "git";
    case SourceKind::local:
      return "local";
    case SourceKind::dockerfile:
      return "dockerfile";
    case SourceKind::image:
      return "image";
  }
  return "?";
}

namespace {

std::string source_spec(const config::Source& source) {
  switch (source.type) {
    case config::SourceType::npm:
      return "npm " + source.package + "@" + (source.version.empty() ? "latest" : source.version);
    case config::SourceType::git: {
      std::string spec = "git " + source.repository;
      if (!source.tag.empty()) spec += " tag " + source.tag;
      if (!source.commit.empty()) spec += " commit " + source.commit;
      if (!source.branch.empty()) spec += " branch " + source.branch;
      if (!source.subpath.empty()) spec += " path " + source.subpath;
      return spec;
    }
    case config::SourceType::local:
      return "local " + source.local_path.string();
  }
  return {};
}

}  // namespace

ImagePlan plan_image(const config::Server& server) {
  if (server.mode != config::Mode::docker)
    throw Error(ErrorKind::build, quote(server.name), "runs on the host (mode external): no image",
                "cc-mcp enable " + server.name + " --mode docker runs it in a container");
  ImagePlan plan;
  plan.server = server.name;
  plan.repository = repository_of(server.name);
  plan.server_args = server.args;
  if (server.docker) {
    plan.base_image = server.docker->base_image;
    plan.builder_image = server.docker->builder_image;
    plan.build_args = server.docker->build_args;
    plan.build_network = server.docker->build_network;
  }
  if (server.docker && server.docker->dockerfile) {
    plan.kind = SourceKind::dockerfile;
    plan.dockerfile = *server.docker->dockerfile;
    plan.context = server.docker->context.value_or(plan.dockerfile.parent_path());
    plan.spec = "dockerfile " + plan.dockerfile.string() + " in " + plan.context.string();
    return plan;
  }
  if (server.source) {
    plan.source = *server.source;
    plan.kind = server.source->type == config::SourceType::npm   ? SourceKind::npm
                : server.source->type == config::SourceType::git ? SourceKind::git
                                                                 : SourceKind::local;
    plan.spec = source_spec(plan.source);
    return plan;
  }
  // Phase 2: the host command was npx; the container gets the same package.
  if (auto npx = config::parse_npx(server.command, server.args)) {
    plan.kind = SourceKind::npm;
    plan.source.type = config::SourceType::npm;
    plan.source.package = npx->package;
    plan.source.version = npx->version;
    plan.npm_bin = npx->bin;
    plan.server_args = npx->args;
    plan.spec = source_spec(plan.source) + (npx->bin.empty() ? "" : " bin " + npx->bin);
    return plan;
  }
  std::string image = !server.image.empty()                            ? server.image
                      : server.docker && !server.docker->image.empty() ? server.docker->image
                                                                       : "";
  if (image.empty())
    throw Error(ErrorKind::build, quote(server.name), "has nothing to build or pull",
                "give it a \"source\", \"image\" or \"docker\": {\"dockerfile\": ...} in mcp.json");
  plan.kind = SourceKind::image;
  plan.image = image;
  plan.spec = "image " + image;
  return plan;
}

}  // namespace ccmcp::images
