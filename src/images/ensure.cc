#include "images/ensure.h"

#include "docker/tar_writer.h"
#include "images/build_request.h"
#include "images/catalog.h"
#include "images/naming.h"
#include "images/pipeline.h"
#include "util/error.h"
#include "util/file_lock.h"
#include "util/fs.h"

namespace ccmcp::images {

namespace detail {

ImageInfo info_of(const LocalImage& image, const std::string& repository, bool built) {
  ImageInfo info;
  info.id = image.id;
  info.version = image.label(label::cc_version);
  info.commit = image.label(label::commit);
  info.built = built;
  std::string versioned = repository + ":" + tag_for_version(info.version);
  bool has_versioned = !info.version.empty() && std::find(image.tags.begin(), image.tags.end(),
                                                          versioned) != image.tags.end();
  info.reference = has_versioned ? versioned : repository + ":latest";
  return info;
}

bool current_matches(const Job& job, const std::string& recipe, ImageInfo& info) {
  if (!job.current || job.current->label(label::recipe) != recipe) return false;
  info = info_of(*job.current, job.plan.repository, false);
  return true;
}

bool reusable_image(Job& job, const std::string& recipe, ImageInfo& info) {
  if (job.when != BuildWhen::changed && job.when != BuildWhen::update) return false;
  if (current_matches(job, recipe, info)) return true;
  if (job.when != BuildWhen::update) return false;
  for (const auto& record : list_server_images(job.engine, job.plan.server)) {
    if (record.recipe != recipe || record.version.empty()) continue;
    std::string versioned = job.plan.repository + ":" + tag_for_version(record.version);
    if (std::find(record.tags.begin(), record.tags.end(), versioned) == record.tags.end()) continue;
    auto image = inspect_image(job.engine, record.id);
    if (!image) continue;
    info = info_of(*image, job.plan.repository, false);
    job.reporter.note("reusing " + versioned + ", built before from the same inputs");
    if (job.promote == Promote::yes) promote_image(job.engine, job.plan.server, record.id);
    return true;
  }
  return false;
}

std::string write_context(const std::filesystem::path& tar,
                          const std::vector<ContextFolder>& folders,
                          const std::string& dockerfile_name, const std::string& dockerfile,
                          const std::filesystem::path* bridge) {
  docker::TarWriter writer(tar);
  for (const auto& folder : folders) writer.add_tree(folder.path, folder.name, folder.skip);
  if (!dockerfile_name.empty()) writer.add_bytes(dockerfile_name, dockerfile);
  if (bridge) writer.add_path("cc-mcp-bridge", *bridge);
  return writer.finish();
}

ImageInfo build_final(Job& job, const Outcome& outcome, const std::filesystem::path& tar,
                      const std::string& context_digest, bool network) {
  const RecipeInputs& in = outcome.inputs;
  BuildRequest request;
  request.server = job.plan.server;
  request.context_tar = tar;
  std::string versioned = job.plan.repository + ":" + tag_for_version(in.version);
  request.tags = {versioned};
  if (job.promote == Promote::yes) request.tags.push_back(job.plan.repository + ":latest");
  request.no_cache = job.when == BuildWhen::always;
  request.network = network;
  request.build_args = job.plan.build_args;
  request.labels = {{label::source, outcome.source_url},
                    {label::revision, in.commit.empty() ? in.version : in.commit},
                    {label::version, in.version},
                    {label::created, utc_now_rfc3339()},
                    {label::name, job.plan.server},
                    {label::spec, job.plan.spec},
                    {label::cc_version, in.version},
                    {label::commit, in.commit},
                    {label::context_digest, context_digest},
                    {label::bridge, "true"},
                    {label::bridge_env, label::bridge_env_now},
                    {label::recipe, outcome.recipe},
                    {label::templ, in.template_kind}};
  job.reporter.note("building " + versioned);
  std::string id = run_build(job.engine, request, job.reporter);

  RetentionResult retention = apply_retention(job.engine, job.plan.server);
  if (!retention.removed.empty())
    job.reporter.note("removed " + std::to_string(retention.removed.size()) + " older image" +
                      (retention.removed.size() == 1 ? "" : "s") + " of " + job.plan.server +
                      " (the current one and " + std::to_string(kPreviousVersionsKept) +
                      " before it are kept)");
  for (const auto& kept : retention.kept_in_use)
    job.reporter.note("kept " + kept.substr(0, 19) + ": a container still uses it");

  ImageInfo info;
  info.reference = versioned;
  info.id = id;
  info.version = in.version;
  info.commit = in.commit;
  info.built = true;
  return info;
}

}  // namespace detail

namespace {

// Removes the staging folder when the build ends, however it ends.
class Staging {
 public:
  explicit Staging(std::filesystem::path path) : path_(std::move(path)) {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);  // what a killed build left
    std::filesystem::create_directories(path_, ec);
    if (ec)
      throw Error(ErrorKind::io, path_.string(), "cannot create: " + system_problem(ec.value()),
                  ec.value() == ENOSPC ? "free some space" : "");
  }
  ~Staging() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  Staging(const Staging&) = delete;
  Staging& operator=(const Staging&) = delete;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

std::optional<LocalImage> current_image(docker::Engine& engine, const ImagePlan& plan) {
  auto image = inspect_image(engine, plan.repository + ":latest");
  // An image of that name that cc-mcp did not build for this server is not
  // this server's current image (and is never removed).
  if (image && image->label(label::name) != plan.server) return std::nullopt;
  return image;
}

}  // namespace

ImageInfo ensure_image(docker::Engine& engine, const config::Config& config,
                       const config::Server& server, const config::Home& home, BuildWhen when,
                       BuildReporter& reporter, Promote promote) {
  (void)config;  // paths in `server` are already resolved against its folder
  ImagePlan plan = plan_image(server);
  std::filesystem::path build_dir = home.root / "build";
  FileLock lock(build_dir / (server.name + ".lock"), std::chrono::minutes(30),
                "another cc-mcp building " + server.name);
  detail::Job job{engine, plan, home, when, reporter, current_image(engine, plan), {}, {}, promote};
  if (when == BuildWhen::missing && job.current)
    return detail::info_of(*job.current, plan.repository, false);
  job.bridge = locate_bridge();
  if (plan.kind != SourceKind::image)
    if (auto unchanged = detail::unchanged_image(job)) return *unchanged;
  if (plan.build_network)
    reporter.note("warning: " + server.name +
                  " builds with network access (docker.buildNetwork): not hermetic");
  Staging staging(build_dir / server.name);
  job.staging = staging.path();
  if (plan.kind == SourceKind::image) return detail::build_ready_image(job);
  if (plan.kind == SourceKind::dockerfile) return detail::build_from_dockerfile(job);
  return detail::build_from_source(job);
}

void promote_image(docker::Engine& engine, const std::string& server, const std::string& id) {
  std::string repository = repository_of(server);
  engine.post("/images/" + docker::url_encode(id) + "/tag?repo=" + docker::url_encode(repository) +
                  "&tag=latest",
              nullptr, "image " + quote(id.substr(0, 19)));
}

std::optional<ImageInfo> current_image_info(docker::Engine& engine, const std::string& server) {
  ImagePlan plan;
  plan.server = server;
  plan.repository = repository_of(server);
  auto image = current_image(engine, plan);
  if (!image) return std::nullopt;
  return detail::info_of(*image, plan.repository, false);
}

std::vector<std::string> container_args(const config::Server& server) {
  if (server.mode != config::Mode::docker) return server.args;
  try {
    return plan_image(server).server_args;
  } catch (const Error&) {
    return server.args;
  }
}

}  // namespace ccmcp::images
