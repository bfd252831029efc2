// Internal to images: the steps every kind of build shares once its
// context is on disk, and the state one build carries from step to step.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "config/home.h"
#include "images/bases.h"
#include "images/bridge.h"
#include "images/context.h"
#include "images/engine_images.h"
#include "images/ensure.h"
#include "images/plan.h"
#include "images/recipe.h"

namespace ccmcp::images::detail {

struct Job {
  docker::Engine& engine;
  const ImagePlan& plan;
  const config::Home& home;
  BuildWhen when;
  BuildReporter& reporter;
  std::optional<LocalImage> current;  // cc-mcp/NAME:latest, when it is this server's
  BridgeBinary bridge;
  std::filesystem::path staging;  // $CC_MCP_HOME/build/NAME: removed when the build ends
  Promote promote = Promote::yes;
};

// What an image carries in its labels, and its tag.
struct Outcome {
  RecipeInputs inputs;
  std::string recipe;
  std::string source_url;  // org.opencontainers.image.source
};

// The current image, when its recipe is what the config asks for now,
// decided without fetching anything (BuildWhen::changed only).
std::optional<ImageInfo> unchanged_image(Job& job);

// The starting inputs of every recipe: spec, bridge, build args, network.
RecipeInputs base_inputs(const Job& job, const std::string& template_kind);

// Sets inputs.base_id (and builder_id for node-builder) for the template;
// returns the base chosen. `may_pull`: a build (not the no-op check).
ImageChoice resolve_images(Job& job, RecipeInputs& inputs, bool may_pull);

// A custom Dockerfile's content: its context folder and its own text.
std::string dockerfile_content_digest(const std::filesystem::path& dockerfile,
                                      const std::filesystem::path& context);

// The ImageInfo of an existing image of the server.
ImageInfo info_of(const LocalImage& image, const std::string& repository, bool built);

// True (and `info` set) when the current image was made from this recipe.
bool current_matches(const Job& job, const std::string& recipe, ImageInfo& info);

// The no-op rule of a build that resolved its versions: for `changed` the
// current image when it has this recipe; for `update` also any other
// image of the server made from it (a version built before and not kept
// as current: an update tested then refused, or a rollback's newer one).
bool reusable_image(Job& job, const std::string& recipe, ImageInfo& info);

// A folder put in a context under `name` ("" for the root).
struct ContextFolder {
  std::string name;
  std::filesystem::path path;
  SkipRule skip;
};
// Writes the context tar: the folders, the Dockerfile text under
// `dockerfile_name` (unless empty) and the bridge (unless null). Returns
// the tar's digest.
std::string write_context(const std::filesystem::path& tar,
                          const std::vector<ContextFolder>& folders,
                          const std::string& dockerfile_name, const std::string& dockerfile,
                          const std::filesystem::path* bridge);

// Builds the final image from `tar` with the labels and tags of
// `outcome`, then applies retention. Returns the new image.
ImageInfo build_final(Job& job, const Outcome& outcome, const std::filesystem::path& tar,
                      const std::string& context_digest, bool network);

// The source kinds.
ImageInfo build_from_source(Job& job);      // npm, git, local
ImageInfo build_from_dockerfile(Job& job);  // docker.dockerfile
ImageInfo build_ready_image(Job& job);      // image: pulled, wrapped when it lacks the bridge

// Builds `dockerfile` in `context` as the user wrote it, then wraps the
// result. `outcome` holds the recipe already decided.
ImageInfo build_dockerfile_outcome(Job& job, const std::filesystem::path& dockerfile,
                                   const std::filesystem::path& context, Outcome outcome);

// Wraps the image `inner`: the bridge in front of its entrypoint and
// command. `context_digest` is recorded in the labels.
ImageInfo wrap_image(Job& job, const LocalImage& inner, const Outcome& outcome,
                     const std::string& context_digest);

}  // namespace ccmcp::images::detail
