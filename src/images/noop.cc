// The no-op check of `cc-mcp build` (see recipe.h), and the recipe inputs
// it shares with real builds so that both compute the same digest.
#include "images/naming.h"
#include "images/pipeline.h"
#include "sources/npm.h"
#include "util/error.h"
#include "util/fs.h"
#include "util/sha256.h"

namespace ccmcp::images::detail {

RecipeInputs base_inputs(const Job& job, const std::string& template_kind) {
  RecipeInputs inputs;
  inputs.spec = job.plan.spec;
  inputs.template_kind = template_kind;
  inputs.bridge_digest = job.bridge.digest;
  inputs.build_args = job.plan.build_args;
  inputs.network = job.plan.build_network;
  return inputs;
}

ImageChoice resolve_images(Job& job, RecipeInputs& inputs, bool may_pull) {
  const std::string& kind = inputs.template_kind;
  if (kind != "node" && kind != "node-builder" && kind != "python") return {};
  Runtime runtime = kind == "python" ? Runtime::python : Runtime::node;
  ImageChoice base = choose_base(job.engine, runtime, job.plan.base_image, may_pull, job.reporter);
  inputs.base_id = base.id;
  if (kind == "node-builder")
    inputs.builder_id = choose_node_builder(job.engine, base, job.plan.builder_image,
                                            /*required=*/may_pull, may_pull, job.reporter)
                            .id;
  return base;
}

std::string dockerfile_content_digest(const std::filesystem::path& dockerfile,
                                      const std::filesystem::path& context) {
  Sha256 digest;
  digest.update(tree_digest(context, skip_git_folder));
  digest.update(std::string_view("\0", 1));
  digest.update(read_text_file(dockerfile, dockerfile.string(), 16ull << 20));
  return "sha256:" + digest.hex_digest();
}

std::optional<ImageInfo> unchanged_image(Job& job) {
  if (job.when != BuildWhen::changed || !job.current) return std::nullopt;
  const LocalImage& current = *job.current;
  // Same inputs make the same template: the current image's is taken.
  RecipeInputs inputs = base_inputs(job, current.label(label::templ));
  if (inputs.template_kind.empty()) return std::nullopt;
  bool same_spec = current.label(label::spec) == job.plan.spec;
  const config::Source& source = job.plan.source;
  try {
    switch (job.plan.kind) {
      case SourceKind::npm:
        if (sources::is_exact_npm_version(source.version))
          inputs.version = source.version[0] == 'v' ? source.version.substr(1) : source.version;
        else if (same_spec)  // a floating spec keeps its version until rebuild/update
          inputs.version = current.label(label::cc_version);
        else
          return std::nullopt;
        break;
      case SourceKind::git:
        if (!same_spec) return std::nullopt;
        inputs.version = current.label(label::cc_version);
        inputs.commit = current.label(label::commit);
        break;
      case SourceKind::local:
        inputs.content_digest = tree_digest(source.local_path, skip_source_clutter);
        inputs.version = digest_version(inputs.content_digest);
        break;
      case SourceKind::dockerfile:
        inputs.content_digest = dockerfile_content_digest(job.plan.dockerfile, job.plan.context);
        inputs.version = digest_version(inputs.content_digest);
        break;
      case SourceKind::image:
        return std::nullopt;
    }
    resolve_images(job, inputs, /*may_pull=*/false);
  } catch (const Error&) {
    return std::nullopt;  // the build will say what is wrong
  }
  ImageInfo info;
  if (current_matches(job, recipe_digest(inputs), info)) return info;
  return std::nullopt;
}

}  // namespace ccmcp::images::detail
