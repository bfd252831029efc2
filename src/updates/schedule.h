// The timer of the scheduled policy: `cc-mcp update --due` every 15 minutes,
// as a systemd user timer where a systemd user manager answers
// (`systemctl --user`), else as a line in the user's crontab. One timer per
// $CC_MCP_HOME: the timer's name (systemd) or the line's marker (cron)
// carries a digest of the home, so several homes never meet, and the lines
// of the crontab that are not ours are kept as they are.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "config/home.h"

namespace ccmcp::updates {

enum class Scheduler { systemd, cron };
const char* to_string(Scheduler scheduler);

struct ScheduleTarget {
  std::filesystem::path binary;       // cc-mcp itself, absolute
  std::filesystem::path config_file;  // mcp.json, absolute ("" = cc-mcp looks it up from HOME)
  config::Home home;
};

// CC_MCP_SCHEDULER=systemd|cron chooses; else systemd when
// `systemctl --user show-environment` succeeds, else cron when `crontab` is
// on PATH. Throws Error (not_found) when neither is there.
Scheduler detect_scheduler();

// The command the timer runs, as one shell line (quoted).
std::string scheduled_command(const ScheduleTarget& target);

struct ScheduleStatus {
  Scheduler scheduler = Scheduler::cron;
  bool installed = false;
  std::string where;    // the crontab line, or the unit files
  std::string command;  // what it runs
  std::string detail;   // systemd: is-active / next run; cron: whether crond runs
};

// Each throws Error when the scheduler refuses (its own message included).
ScheduleStatus install_schedule(Scheduler scheduler, const ScheduleTarget& target);
bool remove_schedule(Scheduler scheduler, const ScheduleTarget& target);  // false: none was there
ScheduleStatus schedule_status(Scheduler scheduler, const ScheduleTarget& target);

// Pure, for the cron backend: `crontab` with our line put in (or replaced)
// or taken out; other lines untouched.
std::string crontab_with(const std::string& crontab, const std::string& marker,
                         const std::string& line);
std::string crontab_without(const std::string& crontab, const std::string& marker);

}  // namespace ccmcp::updates
