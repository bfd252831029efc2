// update, update-all, rollback, history: moving a server between versions
// (src/updates/update.h), with the tester as the gate.
#include <CLI/CLI.hpp>

#include "cli/command.h"
#include "cli/runtime_support.h"
#include "cli/update_printer.h"
#include "config/home.h"
#include "images/catalog.h"
#include "images/ensure.h"
#include "updates/check.h"
#include "updates/history.h"
#include "updates/policy.h"

namespace ccmcp::cli {

namespace {

using Json = nlohmann::ordered_json;

struct UpdateCommandOptions {
  std::vector<std::string> names;
  bool dry_run = false;
  bool accept_tool_changes = false;
  double timeout_seconds = 30;
  std::string osv_db;
  bool no_package_tests = false;
  bool due = false;
};

struct RollbackCommandOptions {
  std::string name;
  std::string to;
  double timeout_seconds = 30;
};

struct HistoryCommandOptions {
  std::string name;
};

// Prints the results' closing lines and the restart instructions once;
// the exit code.
int report(Context& ctx, const std::vector<updates::UpdateResult>& results, const Json& failed) {
  bool reload = false, ok = failed.empty();
  Json rows = Json::array();
  for (const auto& result : results) {
    reload = reload || result.client_must_reload();
    ok = ok && result.ok();
    rows.push_back(to_json(result));
  }
  if (ctx.out.json()) {
    ctx.out.print_json({{"servers", rows}, {"failed", failed}, {"clientMustReload", reload}});
    return ok ? 0 : 1;
  }
  if (reload) ctx.out.line(kRestartInstructions);
  return ok ? 0 : 1;
}

// update --due (what the timer of `cc-mcp schedule` runs): every server
// whose checkInterval has passed is checked; those with updatePolicy
// scheduled and a newer version are returned to be updated; the others'
// news is only said (and kept for the notice).
std::vector<const config::Server*> due_updates(Context& ctx, docker::Engine& engine,
                                               runtime::StateStore& state,
                                               const std::vector<const config::Server*>& servers,
                                               Json& failed) {
  auto clock = updates::clock_from_environment();
  std::vector<const config::Server*> due;
  for (const auto* server : updates::due_servers(servers, state, *clock))
    if (images::current_image_info(engine, server->name)) due.push_back(server);
  if (due.empty()) {
    if (!ctx.out.json()) ctx.out.line("No server is due for a check.");
    return {};
  }
  auto checks = updates::check_updates(engine, due, state, *clock, updates::CheckOptions{});
  updates::record_checks(state, checks);
  std::vector<const config::Server*> apply;
  for (size_t i = 0; i < checks.size(); ++i) {
    const auto& check = checks[i];
    if (!check.error.empty()) {
      failed.push_back({{"name", check.name}, {"error", check.error}});
      if (!ctx.out.json()) ctx.out.error(quote(check.name) + ": cannot check: " + check.error);
      continue;
    }
    if (check.verdict() != updates::Verdict::available) {
      if (!ctx.out.json())
        ctx.out.line("✓ " + check.name + " checked: " + to_string(check.verdict()));
      continue;
    }
    if (updates::policy_of(*due[i]) == config::UpdatePolicy::scheduled) {
      apply.push_back(due[i]);
    } else if (!ctx.out.json()) {
      ctx.out.line(check.name + ": " + check.latest.version + " is available (updatePolicy " +
                   config::to_string(updates::policy_of(*due[i])) + ": cc-mcp update " +
                   check.name + " applies it)");
    }
  }
  return apply;
}

int run_update(Context& ctx, const UpdateCommandOptions& options, bool all) {
  auto timeout = timeout_option(options.timeout_seconds);
  if (all && !options.names.empty())
    throw Error(ErrorKind::usage, "cc-mcp update-all", "takes no server names",
                "cc-mcp update NAME... updates only those");
  if (options.due && !options.names.empty())
    throw Error(ErrorKind::usage, "cc-mcp update", "takes --due or server names, not both",
                "--due works on every server whose checkInterval has passed");
  if (!all && !options.due && options.names.empty())
    throw Error(ErrorKind::usage, "cc-mcp update", "needs a server name",
                "e.g. cc-mcp update filesystem, or cc-mcp update-all");
  auto loaded = ctx.load_valid_config();
  const config::Config& config = loaded.validation.config;
  std::string verb = all ? "update-all" : "update";
  auto servers = servers_with_source(ctx, config, options.names, verb);
  for (const auto* server : servers)
    if (!options.names.empty() && !server->enabled())
      throw Error(ErrorKind::config, quote(server->name), "is disabled in mcp.json",
                  "cc-mcp enable " + server->name + " first");
  config::Home home = config::cc_mcp_home();
  runtime::StateStore state(home);
  docker::Engine engine = docker::Engine::from_environment();
  engine.api_version();  // unreachable: one clear error
  auto http = net::make_curl_client();

  updates::UpdateOptions update_options;
  update_options.dry_run = options.dry_run;
  update_options.accept_tool_changes = options.accept_tool_changes;
  update_options.start.timeout = timeout;
  update_options.tester.timeout = timeout;
  update_options.tester.run_package_tests = !options.no_package_tests;
  update_options.tester.osv_db =
      options.osv_db.empty() ? home.root / "osv" : std::filesystem::absolute(options.osv_db);

  UpdatePrinter printer(ctx.out);
  std::vector<updates::UpdateResult> results;
  Json failed = Json::array();
  if (options.due) {
    servers = due_updates(ctx, engine, state, servers, failed);
    if (servers.empty()) return report(ctx, results, failed);
  } else if (servers.empty() && !ctx.out.json())
    ctx.out.line(
        "No server has a source to update from (npm, git or local): cc-mcp list shows them.");
  for (const auto* server : servers) {
    try {
      if (all && !images::current_image_info(engine, server->name)) {
        if (!ctx.out.json())
          ctx.out.note(server->name + " has no image yet: its first start builds the latest");
        continue;
      }
      update_options.package_tests =
          tester::read_package_tests_file(config.dir / (server->name + ".tests.json"), false);
      results.push_back(
          updates::update_server(engine, *http, state, config, *server, update_options, printer));
      printer.finished(results.back(), false);
    } catch (const Error& error) {
      if (error.kind() == ErrorKind::engine && !dynamic_cast<const docker::EngineError*>(&error))
        throw;
      failed.push_back({{"name", server->name}, {"error", error.message()}});
      if (!ctx.out.json()) ctx.out.error(error.message());
    }
  }
  return report(ctx, results, failed);
}

int run_rollback(Context& ctx, const RollbackCommandOptions& options) {
  auto timeout = timeout_option(options.timeout_seconds);
  auto loaded = ctx.load_valid_config();
  const config::Server& server = ctx.server(loaded.validation.config, options.name);
  if (server.mode != config::Mode::docker)
    throw Error(ErrorKind::usage, quote(server.name),
                "runs in external mode: it has no images to roll back to",
                "cc-mcp rollback works on docker-mode servers");
  config::Home home = config::cc_mcp_home();
  runtime::StateStore state(home);
  docker::Engine engine = docker::Engine::from_environment();
  engine.api_version();
  auto http = net::make_curl_client();
  updates::RollbackOptions rollback_options;
  rollback_options.to_version = options.to;
  rollback_options.start.timeout = timeout;
  UpdatePrinter printer(ctx.out);
  std::vector<updates::UpdateResult> results{
      updates::rollback_server(engine, *http, state, server, rollback_options, printer)};
  printer.finished(results.back(), true);
  return report(ctx, results, Json::array());
}

std::string short_id(const std::string& id) {
  std::string hex = id.rfind("sha256:", 0) == 0 ? id.substr(7) : id;
  return hex.substr(0, 12);
}

std::string version_text(const updates::VersionRef& ref) {
  if (ref.version.empty()) return "-";
  if (ref.commit.empty() || ref.version == ref.commit.substr(0, ref.version.size()))
    return ref.version;
  return ref.version + " (" + ref.commit.substr(0, 12) + ")";
}

int run_history(Context& ctx, const HistoryCommandOptions& options) {
  auto loaded = ctx.load_valid_config();
  const config::Server& server = ctx.server(loaded.validation.config, options.name);
  runtime::StateStore state(config::cc_mcp_home());
  auto history = updates::read_history(state, server.name);
  std::vector<images::ImageRecord> kept;
  if (server.mode == config::Mode::docker) {
    docker::Engine engine = docker::Engine::from_environment();
    kept = images::list_server_images(engine, server.name);
  }
  if (ctx.out.json()) {
    Json events = Json::array();
    for (const auto& entry : history) events.push_back(updates::to_json(entry));
    Json images = Json::array();
    for (const auto& record : kept)
      images.push_back({{"id", record.id},
                        {"version", record.version},
                        {"commit", record.commit},
                        {"source", record.source},
                        {"built", record.created_text},
                        {"tags", record.tags},
                        {"current", record.current}});
    ctx.out.print_json({{"name", server.name}, {"history", events}, {"images", images}});
    return 0;
  }
  if (history.empty()) {
    ctx.out.line(server.name + " was never updated or rolled back.");
  } else {
    std::vector<std::vector<std::string>> rows;
    for (auto it = history.rbegin(); it != history.rend(); ++it) {
      std::string outcome = updates::to_string(it->outcome);
      if (!it->step.empty() && it->outcome != updates::Outcome::kept) outcome += " at " + it->step;
      std::string detail = it->reason;
      if (detail.empty() && !it->tools.empty()) {
        detail = "tools:";
        if (!it->tools.added.empty()) detail += " +" + std::to_string(it->tools.added.size());
        if (!it->tools.removed.empty()) detail += " -" + std::to_string(it->tools.removed.size());
        size_t changed = it->tools.description_changed.size() + it->tools.schema_changed.size();
        if (changed) detail += " ~" + std::to_string(changed);
      }
      rows.push_back({to_rfc3339(it->at), updates::to_string(it->action), version_text(it->from),
                      version_text(it->to), outcome, detail});
    }
    ctx.out.table({"WHEN", "ACTION", "FROM", "TO", "OUTCOME", "DETAIL"}, rows);
  }
  if (!kept.empty()) {
    ctx.out.line("");
    ctx.out.line("Images kept (newest first; cc-mcp rollback " + server.name +
                 " --to VERSION starts one):");
    std::vector<std::vector<std::string>> rows;
    for (const auto& record : kept)
      rows.push_back({record.current ? "*" : "", record.version.empty() ? "-" : record.version,
                      record.commit.empty() ? "-" : record.commit.substr(0, 12),
                      record.created_text.empty() ? "-" : record.created_text, short_id(record.id),
                      record.source});
    ctx.out.table({"", "VERSION", "COMMIT", "BUILT", "IMAGE", "SOURCE"}, rows);
  }
  return 0;
}

void define_update_options(CLI::App& app, UpdateCommandOptions& options) {
  app.add_flag("--dry-run", options.dry_run,
               "fetch, build and test the new version; replace nothing");
  app.add_flag("--accept-tool-changes", options.accept_tool_changes,
               "apply an update that rewrites tool descriptions or schemas");
  app.add_option("--timeout", options.timeout_seconds,
                 "seconds the new version has to answer, in the tester and on its port "
                 "(default 30)")
      ->option_text("S");
  app.add_option("--osv-db", options.osv_db,
                 "OSV vulnerability database folder (default $CC_MCP_HOME/osv)")
      ->option_text("DIR");
  app.add_flag("--no-package-tests", options.no_package_tests,
               "skip the package's own tests in the tester");
}

const char* kUpdateDetails =
    "Fetches the source anew and builds the new version beside the current one\n"
    "(cc-mcp/NAME:VERSION), tests it with the tester in a throw-away container\n"
    "(connection, capabilities, the package's tests, security scan), shows what it\n"
    "changes in the tools, then replaces a running container on the same port and\n"
    "checks it through its URL. A failure at any step leaves (or puts back) the\n"
    "previous version, running on the same port; the exit status is then 1. A\n"
    "stopped server stays stopped: its next start runs the new version. Volumes are\n"
    "never touched. Tools whose description or schema changed need\n"
    "--accept-tool-changes (or a yes on a terminal). cc-mcp history NAME shows\n"
    "every update; cc-mcp rollback NAME goes back.";

}  // namespace

void add_update_apply_commands(CommandTable& table) {
  for (bool all : {false, true}) {
    auto options = std::make_shared<UpdateCommandOptions>();
    Command command;
    command.group = "Updates";
    command.path = all ? "update-all" : "update";
    command.notice = false;
    command.usage = all ? "" : "NAME...|--due";
    command.summary =
        all ? "update every enabled server that has a source"
            : "build and test the latest version, then switch to it; undone on failure";
    command.details = kUpdateDetails;
    command.define = [options, all](CLI::App& app) {
      if (!all) {
        app.add_option("NAME", options->names, "server names");
        app.add_flag("--due", options->due,
                     "check every server whose checkInterval has passed; update those with "
                     "updatePolicy scheduled (what the timer of cc-mcp schedule runs)");
      }
      define_update_options(app, *options);
    };
    command.run = [options, all](Context& ctx) { return run_update(ctx, *options, all); };
    table.push_back(std::move(command));
  }
  {
    auto options = std::make_shared<RollbackCommandOptions>();
    Command command;
    command.group = "Updates";
    command.path = "rollback";
    command.usage = "NAME";
    command.summary = "back to the previous version, or --to VERSION, on the same port";
    command.details =
        "Makes a kept image current again: by default the version that ran before the\n"
        "current one, or --to VERSION (a version or a commit prefix; cc-mcp history NAME\n"
        "lists them). A running server is switched on the same port and checked through\n"
        "its URL; if that fails, the current version is put back.";
    command.define = [options](CLI::App& app) {
      app.add_option("NAME", options->name, "server name")->required();
      app.add_option("--to", options->to, "the version to go back to")->option_text("VERSION");
      app.add_option("--timeout", options->timeout_seconds,
                     "seconds the version has to answer (default 30)")
          ->option_text("S");
    };
    command.run = [options](Context& ctx) { return run_rollback(ctx, *options); };
    table.push_back(std::move(command));
  }
  {
    auto options = std::make_shared<HistoryCommandOptions>();
    Command command;
    command.group = "Updates";
    command.path = "history";
    command.usage = "NAME";
    command.summary = "every update and rollback of a server, and the images kept";
    command.define = [options](CLI::App& app) {
      app.add_option("NAME", options->name, "server name")->required();
    };
    command.run = [options](Context& ctx) { return run_history(ctx, *options); };
    table.push_back(std::move(command));
  }
}

}  // namespace ccmcp::cli
