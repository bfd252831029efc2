// schedule install|remove|status: the timer of updatePolicy "scheduled"
// (updates/schedule.h), running `cc-mcp update --due` every 15 minutes.
#include <CLI/CLI.hpp>

#include "cli/command.h"
#include "config/home.h"
#include "updates/schedule.h"
#include "util/fs.h"

namespace ccmcp::cli {

namespace {

using Json = nlohmann::ordered_json;

// cc-mcp itself and the mcp.json this command line uses, both absolute: the
// timer runs from another folder, without this shell's environment.
updates::ScheduleTarget target_of(Context& ctx) {
  updates::ScheduleTarget target;
  std::error_code ec;
  target.binary = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (ec)
    throw Error(ErrorKind::io, "/proc/self/exe", "cannot be read: " + system_problem(ec.value()),
                "is /proc mounted?");
  target.config_file = ctx.load_valid_config().location.path;
  target.home = config::cc_mcp_home();
  return target;
}

Json status_json(const updates::ScheduleStatus& status) {
  return {{"scheduler", updates::to_string(status.scheduler)},
          {"installed", status.installed},
          {"where", status.where},
          {"command", status.command},
          {"detail", status.detail}};
}

void print_status(Context& ctx, const updates::ScheduleStatus& status) {
  if (!status.installed) {
    ctx.out.line("No timer for update --due (" + std::string(updates::to_string(status.scheduler)) +
                 "): cc-mcp schedule install adds one.");
    return;
  }
  ctx.out.line("every 15 minutes, by the " + std::string(updates::to_string(status.scheduler)) +
               ": " + status.command);
  ctx.out.line("  in: " + status.where);
  if (!status.detail.empty()) ctx.out.line("  " + status.detail);
}

int run_schedule(Context& ctx, const std::string& action) {
  updates::ScheduleTarget target = target_of(ctx);
  updates::Scheduler scheduler = updates::detect_scheduler();
  if (action == "install") {
    updates::ScheduleStatus status = updates::install_schedule(scheduler, target);
    if (ctx.out.json()) {
      ctx.out.print_json(status_json(status));
    } else {
      ctx.out.line("✓ Installed the update timer (" + std::string(updates::to_string(scheduler)) +
                   ")");
      print_status(ctx, status);
      ctx.out.line(
          "Servers with \"updatePolicy\": \"scheduled\" are updated when due; the others "
          "are only checked.");
    }
    return 0;
  }
  if (action == "remove") {
    bool removed = updates::remove_schedule(scheduler, target);
    if (ctx.out.json())
      ctx.out.print_json({{"scheduler", updates::to_string(scheduler)}, {"removed", removed}});
    else
      ctx.out.line(removed ? "✓ Removed the update timer (" +
                                 std::string(updates::to_string(scheduler)) + ")"
                           : "There was no update timer to remove.");
    return 0;
  }
  updates::ScheduleStatus status = updates::schedule_status(scheduler, target);
  if (ctx.out.json())
    ctx.out.print_json(status_json(status));
  else
    print_status(ctx, status);
  return 0;
}

}  // namespace

void add_schedule_commands(CommandTable& table) {
  struct Action {
    const char* word;
    const char* summary;
  };
  for (Action action : {Action{"install", "run update --due every 15 minutes (systemd or cron)"},
                        Action{"remove", "remove that timer"},
                        Action{"status", "whether the timer is there, and what it runs"}}) {
    Command command;
    command.group = "Updates";
    command.path = std::string("schedule ") + action.word;
    command.summary = action.summary;
    command.notice = false;
    command.details =
        "The timer of \"updatePolicy\": \"scheduled\": every 15 minutes it runs\n"
        "cc-mcp update --due for this $CC_MCP_HOME and mcp.json, which checks every server\n"
        "whose checkInterval has passed and updates the scheduled ones (built, tested,\n"
        "switched, rolled back on failure). A systemd user timer where a systemd user\n"
        "manager answers, else a line in your crontab (other lines are kept);\n"
        "CC_MCP_SCHEDULER=systemd|cron chooses. Its output goes to\n"
        "$CC_MCP_HOME/updates/schedule.log.";
    command.define = [](CLI::App&) {};
    std::string word = action.word;
    command.run = [word](Context& ctx) { return run_schedule(ctx, word); };
    table.push_back(std::move(command));
  }
}

}  // namespace ccmcp::cli
