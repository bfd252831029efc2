#include "cli/startup_updates.h"

#include "cli/update_printer.h"
#include "images/ensure.h"
#include "testing/package_tests.h"
#include "updates/check.h"
#include "updates/policy.h"
#include "updates/update.h"

namespace ccmcp::cli {

void apply_startup_updates(Context& ctx, docker::Engine& engine, net::HttpClient& http,
                           runtime::StateStore& state, const config::Config& config,
                           const std::vector<const config::Server*>& servers,
                           std::chrono::milliseconds timeout) {
  std::vector<const config::Server*> candidates;
  for (const auto* server : servers)
    if (server->mode == config::Mode::docker && server->enabled() &&
        updates::has_update_source(*server) &&
        updates::policy_of(*server) == config::UpdatePolicy::startup &&
        images::current_image_info(engine, server->name))  // else the start builds the latest
      candidates.push_back(server);
  if (candidates.empty()) return;
  auto clock = updates::clock_from_environment();
  auto due = updates::due_servers(candidates, state, *clock);
  if (due.empty()) return;
  if (!ctx.out.json())
    ctx.out.line("⏳ Checking " + std::to_string(due.size()) +
                 (due.size() == 1 ? " server" : " servers") +
                 " for updates (updatePolicy startup)...");
  updates::CheckOptions check_options;
  auto checks = updates::check_updates(engine, due, state, *clock, check_options);
  updates::record_checks(state, checks);

  config::Home home = state.home();
  updates::UpdateOptions options;
  options.start.timeout = timeout;
  options.tester.timeout = timeout;
  options.tester.osv_db = home.root / "osv";
  UpdatePrinter printer(ctx.out);
  bool reload = false;
  for (const auto& check : checks) {
    const config::Server* server = config.find(check.name);
    if (!check.error.empty()) {
      ctx.out.warning(check.name + ": cannot check for updates (" + check.error +
                      "); starting the current version");
      continue;
    }
    if (check.verdict() != updates::Verdict::available || !server) continue;
    try {
      options.package_tests =
          tester::read_package_tests_file(config.dir / (server->name + ".tests.json"), false);
      updates::UpdateResult result =
          updates::update_server(engine, http, state, config, *server, options, printer);
      printer.finished(result, false);
      reload = reload || result.client_must_reload();
      if (!result.ok())
        ctx.out.warning(server->name + ": the update did not happen; starting " +
                        result.from.version);
    } catch (const Error& error) {
      if (error.kind() == ErrorKind::engine && !dynamic_cast<const docker::EngineError*>(&error))
        throw;
      ctx.out.warning(server->name + ": " + error.problem() + "; starting the current version");
    }
  }
  if (reload && !ctx.out.json()) ctx.out.line(kRestartInstructions);
}

}  // namespace ccmcp::cli
