// Builds from a source: an npm package, a git repository or a local folder.
// The host fetches (npm with --ignore-scripts, libgit2, pip download of
// wheels); everything that runs code runs inside the Docker build.
#include <cctype>
#include <optional>

#include <nlohmann/json.hpp>

#include "images/dockerfile.h"
#include "images/ensure.h"
#include "images/naming.h"
#include "images/pipeline.h"
#include "images/project.h"
#include "sources/git.h"
#include "sources/npm.h"
#include "sources/python.h"
#include "util/error.h"
#include "util/fs.h"
#include "util/semver.h"
#include "util/strings.h"

namespace ccmcp::images::detail {

namespace {

// What fetching a source gave: its exact version and the folder to build.
struct Fetched {
  std::string version, commit, content_digest;
  std::filesystem::path folder;  // git and local: the project
  std::string source_url;
};

Fetched fetch_npm(Job& job) {
  const config::Source& source = job.plan.source;
  Fetched fetched;
  fetched.source_url = "https://www.npmjs.com/package/" + source.package;
  bool reuse = job.when == BuildWhen::changed && job.current &&
               job.current->label(label::spec) == job.plan.spec;
  if (sources::is_exact_npm_version(source.version))
    fetched.version = source.version[0] == 'v' ? source.version.substr(1) : source.version;
  else if (reuse)
    fetched.version = job.current->label(label::cc_version);
  else
    fetched.version = sources::npm_resolve_version(source.package, source.version);
  job.reporter.note("fetching " + source.package + "@" + fetched.version + " from npm");
  sources::npm_install_package(source.package, fetched.version, job.staging / "app");
  return fetched;
}

Fetched fetch_git(Job& job) {
  const config::Source& source = job.plan.source;
  Fetched fetched;
  fetched.source_url = source.repository;
  std::string known;
  if (job.when == BuildWhen::changed && job.current &&
      job.current->label(label::spec) == job.plan.spec)
    known = job.current->label(label::commit);
  job.reporter.note("fetching " + source.repository + " (" + sources::describe_git_ref(source) +
                    ")");
  auto checkout = sources::git_checkout(source, job.home.sources_dir() / job.plan.server, known);
  fetched.commit = checkout.commit;
  fetched.version = !source.tag.empty() ? source.tag : short_commit(checkout.commit);
  fetched.folder = checkout.folder;
  return fetched;
}

Fetched fetch_local(Job& job) {
  Fetched fetched;
  fetched.folder = job.plan.source.local_path;
  fetched.source_url = "file://" + fetched.folder.string();
  fetched.content_digest = tree_digest(fetched.folder, skip_source_clutter);
  fetched.version = digest_version(fetched.content_digest);
  return fetched;
}

bool has_dependencies(const std::filesystem::path& dir) {
  // Without any, npm need not run at all (nor be installed).
  std::string text = read_text_file(dir / "package.json", (dir / "package.json").string(), 4 << 20);
  auto json = nlohmann::json::parse(text, nullptr, false);
  for (const char* key : {"dependencies", "devDependencies", "optionalDependencies"})
    if (json.is_object() && json.contains(key) && json[key].is_object() && !json[key].empty())
      return true;
  return false;
}

// The template, its input and the context folders of a Node build in
// staging/app (already installed there).
struct Recipe {
  Template kind = Template::node;
  TemplateInput input;
  std::vector<ContextFolder> folders;
  std::string engines_node;  // the Node versions the project says it runs on
  std::string what;          // "@scope/name@1.2.3", for the message
};

// The Node major of a base image by its tag: "node:20-alpine" and
// "cc-mcp/node:18" give 20 and 18; "node:lts" nothing.
std::optional<uint64_t> node_major_of(const std::string& reference) {
  auto colon = reference.rfind(':');
  if (colon == std::string::npos ||
      reference.find("node", reference.rfind('/') + 1) == std::string::npos)
    return std::nullopt;
  std::string tag = reference.substr(colon + 1);
  size_t digits = 0;
  while (digits < tag.size() && std::isdigit(static_cast<unsigned char>(tag[digits]))) ++digits;
  if (digits == 0 || digits > 3) return std::nullopt;
  return std::stoull(tag.substr(0, digits));
}

// A project whose package.json engines exclude the base's Node would start
// and exit at once; said here, before a build, with what to do.
void check_node_engines(const Job& job, const Recipe& recipe, const ImageChoice& base) {
  if (recipe.engines_node.empty() || recipe.kind == Template::python) return;
  auto major = node_major_of(base.reference);
  if (!major) return;
  // Only the major is known: the newest release of it is assumed.
  SemVer newest{*major, 999, 999, {}, {}};
  if (range_may_accept(newest, recipe.engines_node)) return;
  throw IncompatibleBase(
      ErrorKind::build, quote(job.plan.server),
      recipe.what + " needs Node " + recipe.engines_node +
          " (its package.json engines); the base " + base.reference + " has Node " +
          std::to_string(*major),
      "set docker.baseImage (or $CC_MCP_NODE_BASE) to a Node image that has it, e.g. "
      "node:22-alpine, or pin an older version of it");
}

Recipe node_recipe(const std::filesystem::path& app, std::vector<std::string> command,
                   bool has_build, bool with_dev) {
  Recipe recipe;
  recipe.input.command = std::move(command);
  if (has_install_scripts(app)) recipe.input.build_steps.push_back("npm rebuild");
  if (has_build) recipe.input.build_steps.push_back("npm run build");
  if (with_dev) recipe.input.build_steps.push_back("npm prune --omit=dev");
  recipe.kind = recipe.input.build_steps.empty() ? Template::node : Template::node_builder;
  recipe.folders.push_back({"app", app, {}});
  return recipe;
}

Recipe project_recipe(Job& job, const Fetched& fetched, DetectedProject& project) {
  std::filesystem::path app = job.staging / "app";
  if (project.kind == ProjectKind::node) {
    copy_tree(fetched.folder, app, skip_source_clutter);
    NodeProject node = read_node_project(app);
    bool with_dev = node.has_build;  // the build step needs the dev dependencies
    if (has_dependencies(app)) {
      job.reporter.note("installing the dependencies of " + job.plan.server + " (scripts off)");
      sources::npm_install_project(app, with_dev);
    } else {
      with_dev = false;
    }
    Recipe recipe = node_recipe(app, {"node", "/app/" + node.entry}, node.has_build, with_dev);
    recipe.engines_node = node.engines_node;
    recipe.what = (node.name.empty() ? job.plan.server : node.name) +
                  (node.version.empty() ? "" : "@" + node.version);
    return recipe;
  }
  Recipe recipe;
  recipe.kind = Template::python;
  const PythonProject& python = project.python;
  recipe.input.command = python.script.empty()
                             ? std::vector<std::string>{"/app/venv/bin/python", "-m", python.module}
                             : std::vector<std::string>{"/app/venv/bin/" + python.script};
  recipe.folders.push_back({"src", fetched.folder, skip_source_clutter});
  recipe.folders.push_back({"wheels", job.staging / "wheels", {}});
  return recipe;
}

}  // namespace

ImageInfo build_from_source(Job& job) {
  Fetched fetched = job.plan.kind == SourceKind::npm   ? fetch_npm(job)
                    : job.plan.kind == SourceKind::git ? fetch_git(job)
                                                       : fetch_local(job);
  Recipe recipe;
  if (job.plan.kind == SourceKind::npm) {
    std::filesystem::path app = job.staging / "app";
    NodeProject package =
        read_node_project(app / "node_modules" / job.plan.source.package, job.plan.npm_bin);
    recipe = node_recipe(
        app, {"node", "/app/node_modules/" + job.plan.source.package + "/" + package.entry}, false,
        false);
    recipe.engines_node = package.engines_node;
    recipe.what = job.plan.source.package + "@" + fetched.version;
  } else {
    DetectedProject project = detect_project(fetched.folder);
    if (project.kind == ProjectKind::dockerfile) {
      // The repository's (or folder's) own Dockerfile, wrapped like a custom one.
      Outcome outcome;
      outcome.inputs = base_inputs(job, "dockerfile");
      outcome.inputs.version = fetched.version;
      outcome.inputs.commit = fetched.commit;
      outcome.inputs.content_digest = fetched.content_digest;
      outcome.source_url = fetched.source_url;
      ImageInfo info;
      outcome.recipe = recipe_digest(outcome.inputs);
      if (reusable_image(job, outcome.recipe, info)) return info;
      return build_dockerfile_outcome(job, project.dockerfile, fetched.folder, std::move(outcome));
    }
    recipe = project_recipe(job, fetched, project);
  }

  Outcome outcome;
  outcome.inputs = base_inputs(job, to_string(recipe.kind));
  outcome.inputs.version = fetched.version;
  outcome.inputs.commit = fetched.commit;
  outcome.inputs.content_digest = fetched.content_digest;
  outcome.source_url = fetched.source_url;
  ImageChoice base = resolve_images(job, outcome.inputs, /*may_pull=*/true);
  outcome.recipe = recipe_digest(outcome.inputs);
  ImageInfo info;
  if (reusable_image(job, outcome.recipe, info)) return info;
  check_node_engines(job, recipe, base);

  if (recipe.kind == Template::python) {
    const PythonProject python = read_python_project(fetched.folder);
    std::vector<std::string> requirements = python.build_requires;
    requirements.insert(requirements.end(), python.dependencies.begin(), python.dependencies.end());
    job.reporter.note("fetching the Python wheels of " + job.plan.server + " on the host");
    sources::fetch_python_wheels(requirements, job.staging / "wheels", base.python_version);
  }
  recipe.input.what = job.plan.spec + " at " + fetched.version;
  recipe.input.base = base.reference;
  recipe.input.builder =
      recipe.kind == Template::node_builder
          ? choose_node_builder(job.engine, base, job.plan.builder_image, true, true, job.reporter)
                .reference
          : "";
  std::string dockerfile = render_dockerfile(recipe.kind, recipe.input);
  std::filesystem::path tar = job.staging / "context.tar";
  std::string digest =
      write_context(tar, recipe.folders, "Dockerfile", dockerfile, &job.bridge.path);
  return build_final(job, outcome, tar, digest, job.plan.build_network);
}

}  // namespace ccmcp::images::detail
