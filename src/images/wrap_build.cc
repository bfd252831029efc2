// Images cc-mcp did not make itself: a custom Dockerfile (built as written,
// with the server's build args) and a ready image (pulled when missing).
// Either gets one more layer that holds the bridge and puts it in front of
// the image's own entrypoint and command, unless it has the bridge already.
#include <algorithm>

#include "images/build_request.h"
#include "images/dockerfile.h"
#include "images/naming.h"
#include "images/pipeline.h"
#include "util/error.h"
#include "util/fs.h"

namespace ccmcp::images::detail {

ImageInfo wrap_image(Job& job, const LocalImage& inner, const Outcome& outcome,
                     const std::string& context_digest) {
  TemplateInput input;
  input.what = job.plan.spec + " at " + outcome.inputs.version;
  input.base = inner.id;
  input.command = inner.entrypoint;
  input.command.insert(input.command.end(), inner.cmd.begin(), inner.cmd.end());
  if (input.command.empty())
    throw Error(ErrorKind::build, quote(job.plan.server),
                "its image has no ENTRYPOINT or CMD: cc-mcp cannot tell what server to run",
                "give the image a CMD that starts the stdio MCP server");
  input.workdir = inner.workdir.empty() ? "/app" : inner.workdir;  // its paths may be relative
  std::string dockerfile = render_dockerfile(Template::wrap, input);
  std::filesystem::path tar = job.staging / "wrap.tar";
  std::string digest = write_context(tar, {}, "Dockerfile", dockerfile, &job.bridge.path);
  return build_final(job, outcome, tar, context_digest.empty() ? digest : context_digest,
                     /*network=*/false);
}

ImageInfo build_dockerfile_outcome(Job& job, const std::filesystem::path& dockerfile,
                                   const std::filesystem::path& context, Outcome outcome) {
  BuildRequest inner;
  inner.server = job.plan.server;
  inner.context_tar = job.staging / "context.tar";
  inner.build_args = job.plan.build_args;
  inner.network = job.plan.build_network;
  inner.no_cache = job.when == BuildWhen::always;
  std::filesystem::path relative = dockerfile.lexically_relative(context);
  bool inside = !relative.empty() && *relative.begin() != "..";
  std::string extra_name, extra_text;
  if (inside) {
    inner.dockerfile = relative.string();
  } else {  // a Dockerfile outside its context travels in the tar
    inner.dockerfile = extra_name = ".cc-mcp.Dockerfile";
    extra_text = read_text_file(dockerfile, dockerfile.string(), 16ull << 20);
  }
  std::string digest = write_context(inner.context_tar, {{"", context, skip_git_folder}},
                                     extra_name, extra_text, nullptr);
  job.reporter.note("building " + dockerfile.string() + " as written");
  std::string id = run_build(job.engine, inner, job.reporter);
  auto image = inspect_image(job.engine, id);
  if (!image)
    throw Error(ErrorKind::build, quote(job.plan.server), "the engine lost the image it built",
                "try again");
  try {
    return wrap_image(job, *image, outcome, digest);
  } catch (...) {
    // The unwrapped image has no tag and no label of ours: it would linger.
    try {
      job.engine.del("/images/" + docker::url_encode(id));
    } catch (const Error&) {
    }
    throw;
  }
}

ImageInfo build_from_dockerfile(Job& job) {
  Outcome outcome;
  outcome.inputs = base_inputs(job, "dockerfile");
  outcome.inputs.content_digest = dockerfile_content_digest(job.plan.dockerfile, job.plan.context);
  outcome.inputs.version = digest_version(outcome.inputs.content_digest);
  outcome.source_url = "file://" + job.plan.context.string();
  outcome.recipe = recipe_digest(outcome.inputs);
  ImageInfo info;
  if (reusable_image(job, outcome.recipe, info)) return info;
  return build_dockerfile_outcome(job, job.plan.dockerfile, job.plan.context, std::move(outcome));
}

namespace {

// A ready image's version: its tag, else what it says of itself (a label
// it may have inherited from its base, so second), else its id.
std::string ready_version(const LocalImage& image, const std::string& ref) {
  if (ref.find('@') == std::string::npos) {
    std::string tag = split_image_reference(ref).second;
    if (tag != "latest") return tag;
  }
  std::string version = image.label("org.opencontainers.image.version");
  if (!version.empty()) return version;
  return digest_version(image.id);
}

}  // namespace

ImageInfo build_ready_image(Job& job) {
  const std::string& ref = job.plan.image;
  auto image = inspect_image(job.engine, ref);
  if (!image || job.when == BuildWhen::always) {
    try {
      pull_image(job.engine, ref, job.reporter);
    } catch (const Error& error) {
      if (!image) throw;
      job.reporter.note("no newer " + ref + ": " + error.problem() + "; using the one here");
    }
    image = inspect_image(job.engine, ref);
    if (!image)
      throw Error(ErrorKind::build, quote(ref), "was pulled but the engine does not have it",
                  "try again");
  }
  if (image->label(label::bridge) == "true") {  // made for cc-mcp: used as it is
    ImageInfo info;
    info.reference = ref;
    info.id = image->id;
    info.version = image->label(label::cc_version);
    if (info.version.empty()) info.version = ready_version(*image, ref);
    info.commit = image->label(label::commit);
    return info;
  }
  Outcome outcome;
  outcome.inputs = base_inputs(job, "wrap");
  outcome.inputs.version = ready_version(*image, ref);
  outcome.inputs.base_id = image->id;
  outcome.source_url = ref;
  outcome.recipe = recipe_digest(outcome.inputs);
  ImageInfo info;
  if (job.when != BuildWhen::always && current_matches(job, outcome.recipe, info)) return info;
  return wrap_image(job, *image, outcome, "");
}

}  // namespace ccmcp::images::detail
