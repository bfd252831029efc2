// install and uninstall: a catalog's package into mcp.json through the
// build and the tester (src/marketplace/installer.h), and out again.
#include <unistd.h>

#include <CLI/CLI.hpp>

#include "cli/build_progress.h"
#include "cli/command.h"
#include "cli/runtime_support.h"
#include "cli/test_printer.h"
#include "config/effective.h"
#include "config/home.h"
#include "marketplace/catalog.h"
#include "marketplace/installer.h"
#include "marketplace/uninstaller.h"
#include "secrets/prompt.h"
#include "secrets/reference.h"
#include "util/strings.h"

namespace ccmcp::cli {

namespace {

using Json = nlohmann::ordered_json;

struct InstallOptions {
  std::string name;
  std::string catalog;
  std::string as;
  std::vector<std::string> volumes;
  std::vector<std::string> environment;
  std::vector<std::string> secrets;  // keys; values from the terminal or stdin
  bool test = false;
  bool no_verify = false;
  bool start = false;
  double timeout_seconds = 30;
};

struct UninstallOptions {
  std::string name;
  bool purge = false;
};

// The seed's lines: "⏳ Downloading NAME...", "⏳ Building Docker image...",
// the tester's "✓ Connection test passed", ...
class InstallPrinter : public marketplace::InstallListener {
 public:
  InstallPrinter(Output& out, const std::string& name, config::ConfigLocation location)
      : out_(out), name_(name), location_(std::move(location)), build_(out, name), tests_(out) {}

  void step(marketplace::InstallStep step, const std::string& subject) override {
    if (out_.json()) return;
    switch (step) {
      case marketplace::InstallStep::download:
        out_.line("⏳ Downloading " + name_ + " (" + subject + ")...");
        break;
      case marketplace::InstallStep::build:
        build_.finish();
        out_.line("⏳ Building Docker image...");
        break;
      case marketplace::InstallStep::start:
        out_.line("⏳ Starting " + subject + "...");
        break;
      default:
        break;  // check and configure say nothing until they end; the tester speaks itself
    }
  }
  void note(const std::string& text) override { out_.note(text); }
  images::BuildReporter& build_reporter() override { return build_; }
  void build_done() override { build_.finish(); }
  tester::TestListener& test_listener() override { return tests_; }
  void test_done(const tester::TestReport& report) override { tests_.finished(report); }
  void installed(const marketplace::InstallResult& result) override {
    if (out_.json()) return;
    if (!result.layout_kept)
      out_.warning(location_.display +
                   ": its comments were dropped while rewriting it (the old file is in " +
                   location_.path.filename().string() + ".bak)");
    out_.line(out_.paint("✓", Color::green) + " Installed " + result.name +
              (result.image.version.empty() ? "" : " " + result.image.version) + " (" +
              result.image.reference + ") into " + location_.display +
              (result.config_created ? " (created)" : "") +
              (result.test ? "" : out_.paint(" untested", Color::yellow)));
  }

 private:
  Output& out_;
  std::string name_;
  config::ConfigLocation location_;
  BuildProgressPrinter build_;
  TestPrinter tests_;
};

Json result_json(const marketplace::InstallResult& result, const config::ConfigLocation& location) {
  Json out = {{"name", result.name},
              {"package", result.package},
              {"catalog", result.catalog},
              {"version", result.image.version},
              {"image", result.image.reference},
              {"imageId", result.image.id},
              {"config", location.path.string()},
              {"configCreated", result.config_created},
              {"entry", result.entry},
              {"createdFolders", result.created_folders},
              {"tested", result.test.has_value()}};
  out["test"] = result.test ? result.test->to_json() : Json(nullptr);
  if (result.started)
    out["started"] = {{"url", result.started->url}, {"port", result.started->port}};
  else
    out["started"] = nullptr;
  return out;
}

void split_secrets(const marketplace::Package& package, const InstallOptions& options,
                   marketplace::InstallRequest& request);

int run_install(Context& ctx, const InstallOptions& options) {
  auto timeout = timeout_option(options.timeout_seconds);
  if (options.no_verify && options.test)
    throw Error(ErrorKind::usage, "--test", "runs the package's tests, which --no-verify skips",
                "give one of the two");
  auto [name, version] = marketplace::split_name_version(options.name);
  config::Home home = config::cc_mcp_home();
  marketplace::Catalogs catalogs = marketplace::load_catalogs(home, options.catalog);
  if (!ctx.out.json())
    for (const auto& diagnostic : catalogs.diagnostics) ctx.out.warning(diagnostic.format());
  // A registry's package is asked of the registry again: VERSION is then
  // the server's version, and its package's version comes with it.
  const marketplace::Package package =
      marketplace::current_package(catalogs, catalogs.require(name, options.catalog), version);
  if (!package.registry_name.empty()) version.clear();

  marketplace::InstallRequest request;
  request.version = version;
  request.local_name = options.as;
  request.volumes = options.volumes;
  split_secrets(package, options, request);
  request.package_tests = options.test;
  request.verify = !options.no_verify;
  request.start = options.start;
  request.location = config::locate_config_or_default(
      ctx.options.config_given ? std::optional(ctx.options.config) : std::nullopt);
  request.cwd = std::filesystem::current_path();
  request.tester.timeout = timeout;
  request.tester.osv_db = home.root / "osv";
  request.start_options.timeout = timeout;

  docker::Engine engine = docker::Engine::from_environment();
  engine.api_version();  // unreachable: said once, before anything
  auto http = net::make_curl_client();
  runtime::StateStore state(home);
  std::string local = options.as.empty() ? package.name : options.as;
  if (options.no_verify)
    ctx.out.warning("--no-verify: " + local +
                    " is installed untested: no connection test, no capability tests, no security "
                    "scan");
  InstallPrinter printer(ctx.out, local, request.location);
  marketplace::InstallResult result =
      marketplace::install_package(engine, *http, state, package, request, printer);

  if (ctx.out.json()) {
    ctx.out.print_json(result_json(result, request.location));
    return 0;
  }
  if (result.started)
    ctx.out.line("Started " + result.name + " at " + result.started->url);
  else
    ctx.out.line("Run 'cc-mcp enable " + result.name + "' to activate");
  return 0;
}

int run_uninstall(Context& ctx, const UninstallOptions& options) {
  auto loaded = ctx.load_valid_config();
  const config::Server& server = ctx.server(loaded.validation.config, options.name);
  config::Home home = config::cc_mcp_home();
  runtime::StateStore state(home);
  docker::Engine engine = docker::Engine::from_environment();
  bool needs_engine = server.mode == config::Mode::docker || options.purge;
  if (needs_engine) engine.api_version();  // unreachable: said before anything is changed
  marketplace::UninstallResult result = marketplace::uninstall_server(
      needs_engine ? &engine : nullptr, state, loaded.location, server, options.purge);
  if (ctx.out.json()) {
    ctx.out.print_json({{"name", result.name},
                        {"containerRemoved", result.container_removed},
                        {"processStopped", result.process_stopped},
                        {"imagesRemoved", result.images_removed},
                        {"cloneRemoved", result.clone_removed},
                        {"stateForgotten", result.state_forgotten},
                        {"secretsRemoved", result.secrets_removed},
                        {"volumesKept", result.volumes_kept}});
    return 0;
  }
  if (result.container_removed)
    ctx.out.line("✓ Removed container " + config::container_name_of(server));
  if (result.process_stopped) ctx.out.line("✓ Stopped its supervised process");
  ctx.out.line("✓ Removed " + result.name + " from " + loaded.location.display);
  if (!result.images_removed.empty())
    ctx.out.line("✓ Removed " + std::to_string(result.images_removed.size()) + " image tag" +
                 (result.images_removed.size() == 1 ? "" : "s") + ": " +
                 join(result.images_removed, ", "));
  if (result.clone_removed) ctx.out.line("✓ Removed its source clone");
  if (result.secrets_removed)
    ctx.out.line("✓ Removed its " + std::to_string(result.secrets_removed) + " secret(s)");
  if (!options.purge && server.mode == config::Mode::docker)
    ctx.out.line(
        ctx.out.paint("Its images stay for a reinstall (--purge removes them).", Color::dim));
  if (!result.volumes_kept.empty())
    ctx.out.line("Its volumes were kept: " + join(result.volumes_kept, ", "));
  return 0;
}

// The package's isSecret variables and --secret keys go to the secret
// store, never to mcp.json: --secret values are read now (terminal without
// echo, or a line of stdin each, in order), an isSecret --env KEY=VALUE is
// moved over, and a secret variable given neither way is asked for when
// stdin is a terminal.
void split_secrets(const marketplace::Package& package, const InstallOptions& options,
                   marketplace::InstallRequest& request) {
  auto is_secret = [&](const std::string& key) {
    for (const auto& variable : package.variables)
      if (variable.name == key) return variable.secret;
    return false;
  };
  auto add = [&](const std::string& key, std::string value) {
    if (value.empty())
      throw Error(ErrorKind::usage, "--secret " + key, "the value is empty",
                  "type it at the prompt, or give one line of stdin per --secret");
    for (auto& pair : request.secrets)
      if (pair.first == key) {
        pair.second = std::move(value);
        return;
      }
    request.secrets.emplace_back(key, std::move(value));
  };
  for (const auto& key : options.secrets) {
    if (!secrets::is_secret_key(key))
      throw Error(ErrorKind::usage, "--secret " + quote(key), "is not a variable name",
                  "use letters, digits and '_', not starting with a digit");
    add(key, secrets::read_secret("Value of " + key + " (not shown): ", /*whole_stdin=*/false));
  }
  for (const auto& given : options.environment) {
    std::string key = given.substr(0, given.find('='));
    if (given.find('=') != std::string::npos && is_secret(key))
      add(key, given.substr(key.size() + 1));
    else
      request.environment.push_back(given);
  }
  if (!secrets::stdin_is_terminal()) return;
  for (const auto& variable : package.variables) {
    if (!variable.secret) continue;
    bool given = false;
    for (const auto& pair : request.secrets) given = given || pair.first == variable.name;
    for (const auto& pair : marketplace::parse_environment(request.environment))
      given = given || pair.first == variable.name;
    if (given) continue;
    std::string value = secrets::read_secret(
        variable.name + (variable.description.empty() ? "" : " (" + variable.description + ")") +
            (variable.required ? "" : ", Enter to skip") + " (not shown): ",
        false);
    if (!value.empty() || variable.required) add(variable.name, std::move(value));
  }
}

}  // namespace

void add_install_commands(CommandTable& table) {
  {
    auto options = std::make_shared<InstallOptions>();
    Command command;
    command.group = "Marketplace";
    command.path = "install";
    command.usage = "NAME[@VERSION]";
    command.summary = "build, test and add a catalog's server to mcp.json (--test, --start)";
    command.details =
        "Checks that it can run here (the cc-mcp version it needs, its required environment\n"
        "variables, the platform), downloads and builds its image with no network, runs the\n"
        "tester (connection, capabilities, security scan; --test adds the package's own\n"
        "tests), and only then adds it to mcp.json, disabled unless --start. A failure at\n"
        "any step leaves mcp.json, images and containers as they were. With no mcp.json\n"
        "anywhere, $CC_MCP_HOME/mcp.json is created.";
    command.define = [options](CLI::App& app) {
      app.add_option("NAME", options->name, "package name, optionally @VERSION")->required();
      app.add_option("--catalog", options->catalog, "from this catalog")->option_text("NAME");
      app.add_option("--as", options->as, "the server's name in mcp.json (default: the package's)")
          ->option_text("LOCAL_NAME");
      app.add_option("--volume", options->volumes,
                     "mount HOST at CONTAINER (over the package's default there)")
          ->option_text("HOST:CONTAINER[:ro]");
      app.add_option("--env", options->environment, "set a variable of its environment")
          ->option_text("KEY=VALUE");
      app.add_option("--secret", options->secrets,
                     "a variable kept in the secret store (typed without echo, or one line of "
                     "stdin per --secret)")
          ->option_text("KEY");
      app.add_flag("--test", options->test, "run the package's own tests too");
      app.add_flag("--no-verify", options->no_verify,
                   "skip the tester (not recommended: prints a warning)");
      app.add_flag("--start", options->start, "enable and start it once installed");
      app.add_option("--timeout", options->timeout_seconds,
                     "seconds it has to answer in the tester and at start (default 30)")
          ->option_text("S");
    };
    command.run = [options](Context& ctx) { return run_install(ctx, *options); };
    table.push_back(std::move(command));
  }
  {
    auto options = std::make_shared<UninstallOptions>();
    Command command;
    command.group = "Marketplace";
    command.path = "uninstall";
    command.usage = "NAME";
    command.summary = "stop and remove a server and its mcp.json entry (--purge: images too)";
    command.details =
        "Its container (or supervised process) is removed first, then its entry. With\n"
        "--purge its images, its source clone and what the state knows of it go too.\n"
        "Volumes are never removed.";
    command.define = [options](CLI::App& app) {
      app.add_option("NAME", options->name, "the server in mcp.json")->required();
      app.add_flag("--purge", options->purge, "remove its images and source clone too");
    };
    command.run = [options](Context& ctx) { return run_uninstall(ctx, *options); };
    table.push_back(std::move(command));
  }
}

}  // namespace ccmcp::cli
