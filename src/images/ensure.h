// The public entry point of images: the image a docker server's container
// must run, built or pulled as needed. The runtime calls ensure_image
// before it creates a container, and passes container_args(server) as the
// container's command (the image's entrypoint is the bridge in front of the
// server's command; these are appended).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "config/home.h"
#include "config/model.h"
#include "docker/engine.h"
#include "images/reporter.h"
#include "runtime/container_spec.h"

namespace ccmcp::images {

enum class BuildWhen {
  missing,  // start: build only when the server has no image yet
  changed,  // build: when an input changed (the no-op check; see recipe.h)
  always,   // rebuild / --no-cache: resolve versions anew, build without cache
  update,   // update: resolve versions anew (fetch the source), build with the cache;
            // an image of this server made from the same recipe is reused
};

// Whether a new image becomes the server's current one (cc-mcp/NAME:latest,
// what start runs). An update builds without it and moves :latest only once
// the tester passed (promote_image).
enum class Promote { yes, no };

struct ImageInfo {
  std::string reference;  // what the container runs: "cc-mcp/NAME:1.2.3"
  std::string id;         // "sha256:..."
  std::string version;    // "1.2.3", "v2" (a git tag), "1a2b3c4d5e6f", "sha-1a2b3c4d5e6f"
  std::string commit;     // git sources: the full commit id
  bool built = false;     // false: an existing image was reused
};

// A project whose package.json engines exclude the base image's Node:
// refused before the build (kind build), with the base to choose instead.
class IncompatibleBase : public Error {
 public:
  using Error::Error;
};

// What a container of that image is made from.
inline runtime::ImageRef image_ref(const ImageInfo& info) {
  return {info.reference, info.id, info.version};
}

// Throws Error (kind build, or io for a full disk, engine when the engine
// cannot be reached) with the build's last lines in the message when it
// fails; the server's previous image and tags are then unchanged.
ImageInfo ensure_image(docker::Engine& engine, const config::Config& config,
                       const config::Server& server, const config::Home& home, BuildWhen when,
                       BuildReporter& reporter, Promote promote = Promote::yes);

// Makes the image `id` the server's current one: tags it cc-mcp/NAME:latest
// (the tag moves in one engine call; the image that had it keeps its
// version tag).
void promote_image(docker::Engine& engine, const std::string& server, const std::string& id);

// The ImageInfo of the server's current image (cc-mcp/NAME:latest, when
// cc-mcp built it for this server), or nullopt.
std::optional<ImageInfo> current_image_info(docker::Engine& engine, const std::string& server);

// The container's command: mcp.json "args" (for a phase-2 npx entry, the
// words after the package).
std::vector<std::string> container_args(const config::Server& server);

}  // namespace ccmcp::images
