#include "marketplace/installer.h"

#include "config/store.h"
#include "config/units.h"
#include "marketplace/compatibility.h"
#include "marketplace/install_config.h"
#include "marketplace/install_undo.h"
#include "secrets/reference.h"
#include "secrets/store.h"
#include "testing/package_tests.h"
#include "testing/test_container.h"
#include "testing/test_record.h"
#include "util/strings.h"
#include "version.h"

namespace ccmcp::marketplace {

using namespace detail;

using Json = nlohmann::ordered_json;

const char* to_string(InstallStep step) {
  switch (step) {
    case InstallStep::check:
      return "check";
    case InstallStep::download:
      return "download";
    case InstallStep::build:
      return "build";
    case InstallStep::test:
      return "test";
    case InstallStep::configure:
      return "configure";
    case InstallStep::start:
      return "start";
  }
  return "?";
}

namespace {

std::string step_words(InstallStep step) {
  switch (step) {
    case InstallStep::download:
      return "the download failed";
    case InstallStep::build:
      return "the build failed";
    case InstallStep::test:
      return "it failed the tester";
    case InstallStep::configure:
      return "adding it to mcp.json failed";
    case InstallStep::check:
      return "it cannot run here";
    default:
      return std::string(to_string(step)) + " failed";
  }
}

// Tells the listener when the download becomes the build: ensure_image does
// both, and says "building" (or "reusing") when the fetch is over.
class PhaseReporter : public images::BuildReporter {
 public:
  PhaseReporter(InstallListener& listener, std::string subject)
      : listener_(listener), inner_(listener.build_reporter()), subject_(std::move(subject)) {}

  void note(const std::string& text) override {
    if (text.rfind("building ", 0) == 0 || text.rfind("reusing ", 0) == 0) building();
    inner_.note(text);
  }
  void step(int number, int total, const std::string& text) override {
    building();
    inner_.step(number, total, text);
  }
  void output(const std::string& line) override { inner_.output(line); }
  bool is_building() const { return building_; }

 private:
  void building() {
    if (building_) return;
    building_ = true;
    listener_.step(InstallStep::build, subject_);
  }
  InstallListener& listener_;
  images::BuildReporter& inner_;
  std::string subject_;
  bool building_ = false;
};

std::string engine_platform(docker::Engine& engine) {
  Json version = engine.get("/version", "the Docker engine");
  std::string os = version.value("Os", ""), arch = version.value("Arch", "");
  return os.empty() || arch.empty() ? std::string() : os + "/" + arch;
}

std::optional<tester::PackageTests> tests_of(const Package& package) {
  if (!package.tests.is_object()) return std::nullopt;
  std::string display = package.file.empty()
                            ? "the " + package.catalog + " catalog's " + package.name + " tests"
                            : package.file + " (" + package.name + " tests)";
  return tester::parse_package_tests(package.tests.dump(2), display);
}

}  // namespace

InstallFailed::InstallFailed(InstallStep step, const std::string& name, const Error& cause)
    : Error(
          cause.kind(), "install " + quote(name),
          step_words(step) + ": " +
              (cause.subject().empty() || cause.subject() == quote(name) ? ""
                                                                         : cause.subject() + ": ") +
              cause.problem(),
          (cause.hint().empty() ? "" : cause.hint() + "; ") +
              "mcp.json, images and containers are as they were") {}

InstallResult install_package(docker::Engine& engine, net::HttpClient& http,
                              runtime::StateStore& state, const Package& package,
                              const InstallRequest& request, InstallListener& listener) {
  InstallResult result;
  result.name = request.local_name.empty() ? package.name : request.local_name;
  result.package = package.name;
  result.catalog = package.catalog;
  const std::string& name = result.name;
  if (!config::is_valid_server_name(name))
    throw Error(ErrorKind::usage, "--as " + quote(name), "is not a usable server name",
                "use 1 to 63 characters of a-z, 0-9, '.', '_' and '-'");

  // check: before anything is made.
  listener.step(InstallStep::check, name);
  bool config_exists = false;
  Json root = current_root(request.location, config_exists);
  if (root["mcpServers"].is_object() && root["mcpServers"].contains(name))
    throw already_there(name, request.location.display);
  EntryChoices choices;
  choices.version = request.version.empty() ? package.version : request.version;
  choices.environment = parse_environment(request.environment);
  for (const auto& [key, value] : request.secrets)
    choices.environment.emplace_back(key, secrets::reference_to(key));
  choices.volumes =
      choose_volumes(package, request.volumes, request.cwd, request.location.path.parent_path());
  choices.enabled = request.start;
  config::StringPairs environment = package.environment;
  for (const auto& pair : choices.environment) environment.push_back(pair);
  check_compatibility(package, request.version, environment,
                      {CCMCP_VERSION, engine_platform(engine)});
  result.entry = server_entry(package, choices);
  config::LoadedConfig candidate = candidate_config(request.location, root, name, result.entry);
  const config::Config& config = candidate.validation.config;
  const config::Server& server = *config.find(name);

  InstallUndo undo(engine);
  // Before the build: the tester's container gets them as the real one will.
  secrets::SecretStore store(state.home());
  for (const auto& [key, value] : request.secrets) {
    undo.secret_stored(state.home(), name, key, store.get(name, key));
    store.set(name, key, value);
  }
  prepare_volumes(server, choices.volumes, undo, result, listener);
  runtime::check_before_start(engine, server, request.start_options);

  // download and build, beside whatever else there is: not :latest yet.
  listener.step(InstallStep::download, package.source.url);
  std::filesystem::path clone = state.home().sources_dir() / name;
  std::error_code ec;
  if (!std::filesystem::exists(clone, ec)) undo.folder_created(clone, true);
  PhaseReporter reporter(listener, name);
  try {
    result.image = images::ensure_image(engine, config, server, state.home(),
                                        images::BuildWhen::update, reporter, images::Promote::no);
    listener.build_done();
  } catch (const images::IncompatibleBase& error) {
    listener.build_done();
    throw InstallFailed(InstallStep::check, name, error);
  } catch (const Error& error) {
    listener.build_done();
    throw InstallFailed(reporter.is_building() ? InstallStep::build : InstallStep::download, name,
                        error);
  }
  if (result.image.built)
    undo.image_built(result.image.id);
  else if (!reporter.is_building())
    listener.note("using " + result.image.reference + ", built before from the same inputs");

  // test: the gate.
  if (request.verify) {
    listener.step(InstallStep::test, name);
    tester::TestTarget target;
    target.server = server;
    target.configured = true;
    target.image = images::image_ref(result.image);
    target.args = images::container_args(server);
    tester::TesterOptions options = request.tester;
    options.run_package_tests = request.package_tests;
    try {
      if (request.package_tests) target.package_tests = tests_of(package);
    } catch (const Error& error) {
      throw InstallFailed(InstallStep::test, name, error);
    }
    target.other_servers = tester::recorded_tools_of_others(state, config, name);
    tester::sweep_stale_test_containers(engine);
    tester::TestReport report =
        tester::run_tests(engine, target, options, listener.test_listener());
    listener.test_done(report);
    result.test = report;
    if (!report.passed())
      throw InstallFailed(
          InstallStep::test, name,
          Error(ErrorKind::runtime, quote(name),
                "version " + result.image.version + ": " + report.failed_summary()));
  }

  // configure: the image becomes current, the entry goes into mcp.json.
  listener.step(InstallStep::configure, request.location.display);
  try {
    std::optional<std::string> previous;
    if (auto current = images::current_image_info(engine, name)) previous = current->id;
    images::promote_image(engine, name, result.image.id);
    undo.latest_moved(name, previous);
    if (!config_exists && create_config_file(request.location.path)) {
      result.config_created = true;
      undo.file_created(request.location.path);
    }
    config::UpdateResult written =
        config::update_config(request.location, [&](const config::LoadedConfig&, Json& data) {
          if (!data.contains("mcpServers") || !data["mcpServers"].is_object())
            data["mcpServers"] = Json::object();
          if (data["mcpServers"].contains(name))
            throw already_there(name, request.location.display);
          data["mcpServers"][name] = result.entry;
        });
    result.layout_kept = written.layout_kept && !written.comments_dropped;
  } catch (const Error& error) {
    throw InstallFailed(InstallStep::configure, name, error);
  }
  undo.commit();
  if (result.test) tester::record_report(state, *result.test, true);
  listener.installed(result);

  if (request.start) {
    listener.step(InstallStep::start, name);
    result.started =
        runtime::start_docker_server(engine, http, state, server, images::image_ref(result.image),
                                     images::container_args(server), request.start_options);
  }
  return result;
}

}  // namespace ccmcp::marketplace
