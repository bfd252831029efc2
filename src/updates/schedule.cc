#include "updates/schedule.h"

#include <cstdlib>
#include <sstream>

#include "util/error.h"
#include "util/fs.h"
#include "util/process.h"
#include "util/sha256.h"
#include "util/strings.h"

namespace ccmcp::updates {

const char* to_string(Scheduler scheduler) {
  return scheduler == Scheduler::systemd ? "systemd user timer" : "crontab";
}

namespace {

constexpr std::chrono::seconds kToolTimeout{30};

// 'text' for sh, with ' as '\''.
std::string shell_word(const std::string& text) {
  std::string out = "'";
  for (char c : text) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

// "cc-mcp-update-1a2b3c4d": one timer per home.
std::string unit_name(const ScheduleTarget& target) {
  return "cc-mcp-update-" + sha256_hex(target.home.root.string()).substr(0, 8);
}

std::string cron_marker(const ScheduleTarget& target) {
  return "# cc-mcp schedule " + sha256_hex(target.home.root.string()).substr(0, 8) + " (" +
         target.home.root.string() + ")";
}

std::filesystem::path log_file(const ScheduleTarget& target) {
  return target.home.root / "updates" / "schedule.log";
}

std::vector<std::string> command_words(const ScheduleTarget& target) {
  std::vector<std::string> words = {target.binary.string()};
  if (!target.config_file.empty()) {
    words.push_back("--config");
    words.push_back(target.config_file.string());
  }
  for (const char* word : {"update", "--due", "-q"}) words.push_back(word);
  return words;
}

// The command's words, each quoted for sh (and for systemd's ExecStart).
std::string quoted_command(const ScheduleTarget& target) {
  std::vector<std::string> words;
  for (const auto& word : command_words(target)) words.push_back(shell_word(word));
  return join(words, " ");
}

ProcessResult run_tool(const std::vector<std::string>& argv) {
  return run_process(argv, process_options(kToolTimeout));
}

Error tool_failed(const std::string& what, const ProcessResult& result) {
  std::string said = result.err.empty() ? result.out : result.err;
  while (!said.empty() && (said.back() == '\n' || said.back() == ' ')) said.pop_back();
  return Error(ErrorKind::runtime, what,
               result.timed_out ? "did not finish in time" : "failed: " + said);
}

// --- cron ---

std::string read_crontab() {
  ProcessResult listed = run_tool({"crontab", "-l"});
  if (listed.ok()) return listed.out;
  if (listed.err.find("no crontab") != std::string::npos) return {};
  throw tool_failed("crontab -l", listed);
}

void write_crontab(const std::string& text, const config::Home& home) {
  std::filesystem::path file = home.root / "updates" / "crontab.new";
  std::error_code ec;
  std::filesystem::create_directories(file.parent_path(), ec);
  write_file_atomically(file, file.string(), text, {});
  ProcessResult written = run_tool({"crontab", file.string()});
  std::filesystem::remove(file, ec);
  if (!written.ok()) throw tool_failed("crontab", written);
}

std::string cron_line(const ScheduleTarget& target) {
  return "*/15 * * * * " + scheduled_command(target) + " >>" +
         shell_word(log_file(target).string()) + " 2>&1 " + cron_marker(target);
}

bool cron_daemon_runs() {
  for (const auto& entry : std::filesystem::directory_iterator("/proc")) {
    std::string pid = entry.path().filename().string();
    if (pid.find_first_not_of("0123456789") != std::string::npos) continue;
    std::error_code ec;
    std::string comm;
    try {
      comm = read_text_file(entry.path() / "comm", "comm", 256);
    } catch (const Error&) {
      continue;
    }
    if (comm == "cron\n" || comm == "crond\n") return true;
  }
  return false;
}

// --- systemd ---

std::filesystem::path systemd_user_dir() {
  const char* config = std::getenv("XDG_CONFIG_HOME");
  const char* home = std::getenv("HOME");
  std::filesystem::path base = config && *config ? std::filesystem::path(config)
                               : home && *home   ? std::filesystem::path(home) / ".config"
                                                 : std::filesystem::path();
  if (base.empty())
    throw Error(ErrorKind::config, "$HOME", "is not set: no place for a systemd user unit",
                "set HOME (or XDG_CONFIG_HOME)");
  return base / "systemd" / "user";
}

void systemctl(const std::vector<std::string>& words) {
  std::vector<std::string> argv = {"systemctl", "--user"};
  argv.insert(argv.end(), words.begin(), words.end());
  ProcessResult result = run_tool(argv);
  if (!result.ok()) throw tool_failed(join(argv, " "), result);
}

std::string service_text(const ScheduleTarget& target) {
  return "[Unit]\nDescription=cc-mcp: check and apply due updates (" + target.home.root.string() +
         ")\n\n[Service]\nType=oneshot\nEnvironment=" +
         shell_word("CC_MCP_HOME=" + target.home.root.string()) +
         "\nExecStart=" + quoted_command(target) + "\n";
}

std::string timer_text(const ScheduleTarget& target) {
  return "[Unit]\nDescription=cc-mcp: update --due every 15 minutes (" + target.home.root.string() +
         ")\n\n[Timer]\nOnCalendar=*:0/15\nPersistent=true\nRandomizedDelaySec=60\n\n"
         "[Install]\nWantedBy=timers.target\n";
}

}  // namespace

Scheduler detect_scheduler() {
  const char* chosen = std::getenv("CC_MCP_SCHEDULER");
  std::string choice = chosen ? chosen : "";
  if (choice == "systemd") return Scheduler::systemd;
  if (choice == "cron") return Scheduler::cron;
  if (!choice.empty())
    throw Error(ErrorKind::usage, "CC_MCP_SCHEDULER", quote(choice) + " is not a scheduler",
                "systemd or cron, or unset it");
  if (program_exists("systemctl")) {
    ProcessResult user = run_process({"systemctl", "--user", "show-environment"},
                                     process_options(std::chrono::seconds(5)));
    if (user.ok()) return Scheduler::systemd;
  }
  if (program_exists("crontab")) return Scheduler::cron;
  throw Error(ErrorKind::not_found, "cc-mcp schedule",
              "no systemd user manager answers and there is no crontab command",
              "install cron (apt install cron), or run cc-mcp update --due from your own timer");
}

std::string scheduled_command(const ScheduleTarget& target) {
  return "CC_MCP_HOME=" + shell_word(target.home.root.string()) + " " + quoted_command(target);
}

std::string crontab_with(const std::string& crontab, const std::string& marker,
                         const std::string& line) {
  std::string out = crontab_without(crontab, marker);
  if (!out.empty() && out.back() != '\n') out += '\n';
  return out + line + "\n";
}

std::string crontab_without(const std::string& crontab, const std::string& marker) {
  std::istringstream in(crontab);
  std::string out, line;
  bool last_newline = !crontab.empty() && crontab.back() == '\n';
  bool first = true;
  while (std::getline(in, line)) {
    if (line.size() >= marker.size() &&
        line.compare(line.size() - marker.size(), marker.size(), marker) == 0)
      continue;
    if (!first) out += '\n';
    out += line;
    first = false;
  }
  if (!out.empty() && last_newline) out += '\n';
  return out;
}

ScheduleStatus install_schedule(Scheduler scheduler, const ScheduleTarget& target) {
  std::error_code ec;
  std::filesystem::create_directories(log_file(target).parent_path(), ec);
  if (scheduler == Scheduler::cron) {
    write_crontab(crontab_with(read_crontab(), cron_marker(target), cron_line(target)),
                  target.home);
  } else {
    std::filesystem::path dir = systemd_user_dir();
    std::filesystem::create_directories(dir, ec);
    if (ec)
      throw Error(ErrorKind::io, dir.string(), "cannot create: " + system_problem(ec.value()));
    std::string unit = unit_name(target);
    write_file_atomically(dir / (unit + ".service"), unit + ".service", service_text(target), {});
    write_file_atomically(dir / (unit + ".timer"), unit + ".timer", timer_text(target), {});
    systemctl({"daemon-reload"});
    systemctl({"enable", "--now", unit + ".timer"});
  }
  return schedule_status(scheduler, target);
}

bool remove_schedule(Scheduler scheduler, const ScheduleTarget& target) {
  if (scheduler == Scheduler::cron) {
    std::string crontab = read_crontab();
    std::string without = crontab_without(crontab, cron_marker(target));
    if (without == crontab) return false;
    write_crontab(without, target.home);
    return true;
  }
  std::filesystem::path dir = systemd_user_dir();
  std::string unit = unit_name(target);
  std::error_code ec;
  if (!std::filesystem::exists(dir / (unit + ".timer"), ec)) return false;
  systemctl({"disable", "--now", unit + ".timer"});
  std::filesystem::remove(dir / (unit + ".timer"), ec);
  std::filesystem::remove(dir / (unit + ".service"), ec);
  systemctl({"daemon-reload"});
  return true;
}

ScheduleStatus schedule_status(Scheduler scheduler, const ScheduleTarget& target) {
  ScheduleStatus status;
  status.scheduler = scheduler;
  status.command = scheduled_command(target);
  if (scheduler == Scheduler::cron) {
    std::string marker = cron_marker(target);
    std::istringstream in(read_crontab());
    for (std::string line; std::getline(in, line);)
      if (line.size() >= marker.size() &&
          line.compare(line.size() - marker.size(), marker.size(), marker) == 0) {
        status.installed = true;
        status.where = line;
      }
    status.detail = cron_daemon_runs() ? "cron runs"
                                       : "no cron daemon runs here: the line waits for one "
                                         "(systemctl start cron, or service cron start)";
    return status;
  }
  std::filesystem::path dir = systemd_user_dir();
  std::string unit = unit_name(target);
  std::error_code ec;
  status.installed = std::filesystem::exists(dir / (unit + ".timer"), ec);
  status.where = (dir / (unit + ".timer")).string() + ", " + (dir / (unit + ".service")).string();
  if (status.installed) {
    ProcessResult active = run_tool({"systemctl", "--user", "is-active", unit + ".timer"});
    std::string state = active.out;
    while (!state.empty() && state.back() == '\n') state.pop_back();
    status.detail = "timer " + (state.empty() ? std::string("state unknown") : state);
  }
  return status;
}

}  // namespace ccmcp::updates
