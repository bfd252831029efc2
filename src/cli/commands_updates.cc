// check-updates: what each server's source offers against what its image
// runs (src/updates).
#include <CLI/CLI.hpp>

#include "cli/command.h"
#include "cli/runtime_support.h"
#include "config/home.h"
#include "docker/engine.h"
#include "updates/check.h"
#include "updates/policy.h"

namespace ccmcp::cli {

namespace {

using Json = nlohmann::ordered_json;

struct CheckUpdatesOptions {
  std::vector<std::string> names;
  int timeout_seconds = 30;
  bool due = false;
};

std::string status_cell(const Output& out, const updates::UpdateCheck& check) {
  using updates::Verdict;
  std::string text;
  switch (check.verdict()) {
    case Verdict::up_to_date:
      text = out.paint("✓ up to date", Color::green);
      break;
    case Verdict::available:
      text = out.paint(check.latest.pinned && check.latest.pinned_to != check.latest.version
                           ? "↑ mcp.json asks for " + check.latest.pinned_to
                           : "↑ update available",
                       Color::yellow);
      break;
    case Verdict::not_built:
      text = "not built yet";
      break;
    case Verdict::pinned:
      text = "pinned to " + check.latest.pinned_to + " in mcp.json";
      break;
    case Verdict::unknown:
      break;
  }
  if (!check.error.empty())
    text += (text.empty() ? "" : "; ") + out.paint("✗ " + check.error, Color::red);
  return text;
}

int check_updates(Context& ctx, const CheckUpdatesOptions& options) {
  auto timeout = timeout_option(options.timeout_seconds);
  auto loaded = ctx.load_valid_config();
  const config::Config& config = loaded.validation.config;
  if (options.due && !options.names.empty())
    throw Error(ErrorKind::usage, "cc-mcp check-updates", "takes --due or server names, not both",
                "--due checks every server whose checkInterval has passed");
  auto servers = servers_with_source(ctx, config, options.names, "check-updates");
  if (servers.empty()) {
    if (ctx.out.json())
      ctx.out.print_json({{"servers", Json::array()}});
    else
      ctx.out.line("No server has a source to check (npm, git or local): cc-mcp list shows them.");
    return 0;
  }
  docker::Engine engine = docker::Engine::from_environment();
  runtime::StateStore state(config::cc_mcp_home());
  auto clock_owner = updates::clock_from_environment();
  const updates::Clock& clock = *clock_owner;
  if (options.due) servers = updates::due_servers(servers, state, clock);
  if (servers.empty()) {  // --due, and none is
    if (ctx.out.json())
      ctx.out.print_json({{"servers", Json::array()}});
    else
      ctx.out.line("No server is due for a check (source.checkInterval, 24h by default).");
    return 0;
  }
  updates::CheckOptions check_options;
  check_options.timeout = std::chrono::duration_cast<std::chrono::seconds>(timeout);
  auto checks = updates::check_updates(engine, servers, state, clock, check_options);
  updates::record_checks(state, checks);

  size_t available = 0, failed = 0;
  for (const auto& check : checks) {
    available += check.verdict() == updates::Verdict::available;
    failed += !check.error.empty();
  }
  if (ctx.out.json()) {
    Json rows = Json::array();
    for (const auto& check : checks) rows.push_back(updates::to_json(check));
    ctx.out.print_json({{"servers", rows}, {"updatesAvailable", available}, {"failed", failed}});
    return failed ? 1 : 0;
  }
  auto now = clock.now();
  std::vector<std::vector<std::string>> rows;
  for (const auto& check : checks) {
    std::string current = check.current.built ? check.current.version : "-";
    std::string latest = check.latest.version.empty() ? "?" : check.latest.version;
    std::string checked =
        check.answered_at ? updates::describe_age(*check.answered_at, now) : "never";
    rows.push_back({check.name, check.source, current, latest, check.policy, checked,
                    status_cell(ctx.out, check)});
  }
  ctx.out.table({"NAME", "SOURCE", "CURRENT", "LATEST", "POLICY", "LAST CHECKED", "STATUS"}, rows);
  if (available)
    ctx.out.line(std::to_string(available) + (available == 1 ? " update" : " updates") +
                 " available");
  return failed ? 1 : 0;
}

}  // namespace

void add_update_commands(CommandTable& table) {
  auto options = std::make_shared<CheckUpdatesOptions>();
  Command command;
  command.group = "Updates";
  command.path = "check-updates";
  command.notice = false;  // it shows them itself
  command.usage = "[NAME...]";
  command.summary = "each source's latest version against the server's image";
  command.details =
      "Asks every source at once (npm: the registry's latest, or the newest version\n"
      "matching the range in mcp.json; git: the branch head, asked of the remote\n"
      "without a clone; local: the folder's content digest) and compares it with the\n"
      "version of the server's image. A source that cannot be asked within --timeout\n"
      "is a row with its reason and the last answer it gave; the exit status is then 1.\n"
      "A version, tag or commit named in mcp.json is pinned: the row shows the newest\n"
      "the source has. Results are kept in $CC_MCP_HOME/state.";
  command.define = [options](CLI::App& app) {
    app.add_option("NAME", options->names, "servers (default: every enabled one with a source)");
    app.add_option("--timeout", options->timeout_seconds,
                   "seconds each source may take to answer (default 30)")
        ->option_text("S");
    app.add_flag("--due", options->due,
                 "only the servers whose checkInterval has passed since their last check");
  };
  command.run = [options](Context& ctx) { return check_updates(ctx, *options); };
  table.push_back(std::move(command));
}

}  // namespace ccmcp::cli
