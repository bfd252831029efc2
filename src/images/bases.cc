#include "images/bases.h"

#include <cstdlib>
#include <regex>

#include "images/engine_images.h"
#include "util/error.h"

namespace ccmcp::images {

namespace {

std::string python_version_of(const LocalImage& image) {
  // Debian's "3.11.2-1+b1" on the local base, the official images' env is
  // not in Labels: their tag ("python:3.12-alpine") says it.
  static const std::regex major_minor(R"((\d+\.\d+))");
  std::smatch match;
  std::string text = image.label("dev.cc-mcp.base.version");
  if (text.empty())
    for (const auto& tag : image.tags)
      if (tag.rfind("python:", 0) == 0) text = tag.substr(7);
  if (std::regex_search(text, match, major_minor)) return match[1];
  return {};
}

ImageChoice choice(const std::string& ref, const LocalImage& image) {
  return {ref, image.id, python_version_of(image)};
}

// The image `ref`, pulled when missing and allowed; nothing when not had.
std::optional<LocalImage> have(docker::Engine& engine, const std::string& ref, bool may_pull,
                               BuildReporter& reporter, std::string* pull_failure) {
  if (auto image = inspect_image(engine, ref)) return image;
  if (!may_pull) return std::nullopt;
  try {
    pull_image(engine, ref, reporter);
  } catch (const Error& error) {
    if (pull_failure) *pull_failure = error.problem();
    return std::nullopt;
  }
  return inspect_image(engine, ref);
}

}  // namespace

ImageChoice choose_base(docker::Engine& engine, Runtime runtime, const std::string& configured,
                        bool may_pull, BuildReporter& reporter) {
  const char* env_name = runtime == Runtime::node ? "CC_MCP_NODE_BASE" : "CC_MCP_PYTHON_BASE";
  std::string named = configured;
  std::string origin = "docker.baseImage";
  if (named.empty())
    if (const char* env = std::getenv(env_name); env && *env) named = env, origin = env_name;
  if (!named.empty()) {
    std::string failure;
    if (auto image = have(engine, named, may_pull, reporter, &failure))
      return choice(named, *image);
    throw Error(
        ErrorKind::build, quote(named),
        "the base image (" + origin + ") is not here" + (failure.empty() ? "" : " and " + failure),
        "build or load it, or name another one");
  }
  std::string fallback = runtime == Runtime::node ? kLocalNodeBase : kLocalPythonBase;
  std::string wanted = runtime == Runtime::node ? kDefaultNodeBase : kDefaultPythonBase;
  std::string failure;
  if (auto image = have(engine, wanted, may_pull, reporter, &failure))
    return choice(wanted, *image);
  if (auto image = inspect_image(engine, fallback)) {
    if (may_pull)
      reporter.note(wanted + " is not here and cannot be pulled; building on the local " +
                    fallback + " (set docker.baseImage or " + env_name + " to choose)");
    return choice(fallback, *image);
  }
  throw Error(ErrorKind::build, quote(wanted),
              "no base image: it is not here" + (failure.empty() ? "" : " and " + failure) +
                  ", nor is the local " + fallback,
              "scripts/base-images makes the local ones");
}

ImageChoice choose_node_builder(docker::Engine& engine, const ImageChoice& base,
                                const std::string& configured, bool required, bool may_pull,
                                BuildReporter& reporter) {
  std::string ref = configured;
  if (ref.empty()) {
    auto base_image = inspect_image(engine, base.reference);
    bool local_base = base_image && base_image->label("dev.cc-mcp.base") == "node";
    ref = local_base ? kLocalNodeBuilder : base.reference;
  }
  std::string failure;
  if (auto image = have(engine, ref, may_pull && !configured.empty(), reporter, &failure))
    return choice(ref, *image);
  if (!required) return {ref, "", ""};
  throw Error(ErrorKind::build, quote(ref),
              "the builder image (for install scripts and build steps) is not here" +
                  (failure.empty() ? "" : " and " + failure),
              ref == kLocalNodeBuilder ? "scripts/base-images makes it"
                                       : "build or load it, or set docker.builderImage");
}

}  // namespace ccmcp::images
