// test: the tester (src/testing) on a configured server's current image, or
// on any image with --image (what install calls before a server exists).
#include <CLI/CLI.hpp>

#include "cli/command.h"
#include "cli/runtime_support.h"
#include "cli/test_printer.h"
#include "config/home.h"
#include "docker/containers.h"
#include "images/ensure.h"
#include "runtime/lifecycle.h"
#include "testing/test_container.h"
#include "testing/test_record.h"
#include "util/fs.h"

namespace ccmcp::cli {

namespace {

using Json = nlohmann::ordered_json;

struct TestOptions {
  std::vector<std::string> names;
  std::string image;
  double timeout_seconds = 30;
  std::string osv_db;
  std::string tests_file;
  bool no_package_tests = false;
};

// "cc-mcp/filesystem:1.2" -> "filesystem"; "registry:5000/a/b@sha256:..." -> "b".
std::string name_of_image(std::string reference) {
  if (auto at = reference.find('@'); at != std::string::npos) reference.resize(at);
  if (auto slash = reference.rfind('/'); slash != std::string::npos) reference.erase(0, slash + 1);
  if (auto colon = reference.find(':'); colon != std::string::npos) reference.resize(colon);
  return reference.empty() ? "image" : reference;
}

// The config, when one is there: --image runs use it only to look for
// shadowed tools, and must work without one.
std::optional<config::LoadedConfig> optional_config(Context& ctx, bool needed) {
  if (needed) return ctx.load_valid_config();
  try {
    return ctx.load_valid_config();
  } catch (const Error&) {
    return std::nullopt;
  }
}

int run_test(Context& ctx, const TestOptions& options) {
  auto timeout = timeout_option(options.timeout_seconds);
  if (options.names.empty() && options.image.empty())
    throw Error(ErrorKind::usage, "cc-mcp test", "needs a server name or --image REF",
                "e.g. cc-mcp test filesystem");
  if (!options.names.empty() && !options.image.empty())
    throw Error(ErrorKind::usage, "cc-mcp test", "takes server names or --image, not both",
                "e.g. cc-mcp test --image cc-mcp/filesystem:latest");
  std::optional<tester::PackageTests> given_tests;
  if (!options.tests_file.empty())
    given_tests = tester::read_package_tests_file(options.tests_file, true);

  auto loaded = optional_config(ctx, !options.names.empty());
  const config::Config* config = loaded ? &loaded->validation.config : nullptr;
  config::Home home = config::cc_mcp_home();
  runtime::StateStore state(home);
  docker::Engine engine = docker::Engine::from_environment();
  engine.api_version();  // unreachable: one clear error

  tester::TesterOptions tester_options;
  tester_options.timeout = timeout;
  tester_options.run_package_tests = !options.no_package_tests;
  tester_options.osv_db =
      options.osv_db.empty() ? home.root / "osv" : std::filesystem::absolute(options.osv_db);

  for (const auto& name : tester::sweep_stale_test_containers(engine))
    ctx.out.note("removed the test container " + name + ", left by a run that was killed");

  // Every image first: a build runs host children that must see Ctrl-C as
  // a build does; only then are signals taken for the test containers.
  std::vector<tester::TestTarget> targets;
  Json failed = Json::array();
  if (!options.image.empty()) {
    auto inspect = docker::inspect_image(engine, options.image);
    if (!inspect)
      throw Error(ErrorKind::not_found, "image " + quote(options.image), "is not here",
                  "docker images lists the images; build or load it first");
    tester::TestTarget target;
    target.server.name = name_of_image(options.image);
    target.server.mode = config::Mode::docker;
    target.image = {options.image, inspect->value("Id", ""), runtime::image_version(*inspect)};
    target.package_tests = given_tests;
    if (config) target.other_servers = tester::recorded_tools_of_others(state, *config, "");
    targets.push_back(std::move(target));
  } else {
    auto servers = pick_servers(ctx, *config, options.names, false, "test");
    for (const auto* server : servers) {
      try {
        if (server->mode != config::Mode::docker)
          throw Error(
              ErrorKind::config, quote(server->name),
              "runs in external mode: there is no image to test",
              "cc-mcp enable " + server->name + " --mode docker, then cc-mcp test " + server->name);
        tester::TestTarget target;
        target.server = *server;
        target.configured = true;
        target.image = obtain_image(ctx, engine, *config, *server, home);
        target.args = images::container_args(*server);
        target.package_tests = given_tests
                                   ? given_tests
                                   : tester::read_package_tests_file(
                                         config->dir / (server->name + ".tests.json"), false);
        target.other_servers = tester::recorded_tools_of_others(state, *config, server->name);
        targets.push_back(std::move(target));
      } catch (const Error& error) {
        if (error.kind() == ErrorKind::engine && !dynamic_cast<const docker::EngineError*>(&error))
          throw;
        failed.push_back({{"name", server->name}, {"error", error.message()}});
        if (!ctx.out.json()) ctx.out.error(error.message());
      }
    }
  }

  tester::InterruptCleanup interrupt_cleanup;
  TestPrinter printer(ctx.out);
  Json results = Json::array();
  bool all_passed = failed.empty();
  for (const auto& target : targets) {
    tester::TestReport report = tester::run_tests(engine, target, tester_options, printer);
    printer.finished(report);
    tester::record_report(state, report, target.configured);
    all_passed = all_passed && report.passed();
    results.push_back(report.to_json());
  }
  if (ctx.out.json())
    ctx.out.print_json({{"passed", all_passed}, {"results", results}, {"failed", failed}});
  return all_passed ? 0 : 1;
}

}  // namespace

void add_test_commands(CommandTable& table) {
  auto options = std::make_shared<TestOptions>();
  Command command;
  command.group = "Testing";
  command.path = "test";
  command.usage = "NAME...";
  command.summary = "test in a throw-away hardened container: MCP, tools, security (--image)";
  command.details =
      "Runs the server's current image (built when missing; its own container is not\n"
      "touched) in a container mcp-test-NAME-<random> with every hardening flag and no\n"
      "network, then: ready (bridge, then MCP initialize), connection (initialize,\n"
      "ping), capabilities (tools, prompts, resources; tool schemas), the package's own\n"
      "tests (NAME.tests.json beside mcp.json, or cc-mcp.tests.json in the package), and\n"
      "the security scan: the image (root, setuid files, world-writable folders,\n"
      "secrets, entrypoint, ports), its npm packages against an OSV database\n"
      "($CC_MCP_HOME/osv by default), and its tools (hidden instructions, invisible\n"
      "characters, oversized descriptions, tools shadowing another server's).\n"
      "The container is removed in every case. Exit 0 when no check failed, else 1.";
  command.define = [options](CLI::App& app) {
    app.add_option("NAME", options->names, "server names");
    app.add_option("--image", options->image, "test this image instead (no server needed)")
        ->option_text("REF");
    app.add_option("--timeout", options->timeout_seconds,
                   "seconds to wait for the server to be ready (default 30)")
        ->option_text("S");
    app.add_option("--osv-db", options->osv_db,
                   "OSV vulnerability database folder (default $CC_MCP_HOME/osv)")
        ->option_text("DIR");
    app.add_option("--tests", options->tests_file, "the package's tests from this file")
        ->option_text("FILE");
    app.add_flag("--no-package-tests", options->no_package_tests,
                 "skip the package's own tests (connection command, calls)");
  };
  command.run = [options](Context& ctx) { return run_test(ctx, *options); };
  table.push_back(std::move(command));
}

}  // namespace ccmcp::cli
