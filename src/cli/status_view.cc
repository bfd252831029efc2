#include "cli/status_view.h"

#include <cstdio>

namespace ccmcp::cli {

using runtime::RunState;
using runtime::ServerStatus;

std::string format_bytes(uint64_t bytes) {
  static const char* kUnits[] = {"B", "KiB", "MiB", "GiB", "TiB"};
  double value = static_cast<double>(bytes);
  size_t unit = 0;
  while (value >= 1024 && unit + 1 < std::size(kUnits)) value /= 1024, ++unit;
  char buffer[32];
  if (unit == 0 || value >= 100 || value == static_cast<double>(static_cast<uint64_t>(value)))
    std::snprintf(buffer, sizeof buffer, "%.0f%s", value, kUnits[unit]);
  else
    std::snprintf(buffer, sizeof buffer, "%.1f%s", value, kUnits[unit]);
  return buffer;
}

std::string format_uptime(std::chrono::seconds uptime) {
  long long s = uptime.count();
  char buffer[32];
  if (s < 60)
    std::snprintf(buffer, sizeof buffer, "%llds", s);
  else if (s < 3600)
    std::snprintf(buffer, sizeof buffer, "%lldm%02llds", s / 60, s % 60);
  else if (s < 86400)
    std::snprintf(buffer, sizeof buffer, "%lldh%02lldm", s / 3600, s % 3600 / 60);
  else
    std::snprintf(buffer, sizeof buffer, "%lldd%02lldh", s / 86400, s % 86400 / 3600);
  return buffer;
}

std::string state_cell(const ServerStatus& row) {
  switch (row.state) {
    case RunState::running:
      return row.restart_count > 0 ? "✓ running ↻" + std::to_string(row.restart_count)
                                   : "✓ running";
    case RunState::stopped:
      return "✗ stopped";
    case RunState::restarting:
      return "↻ restarting (" + std::to_string(row.restart_count) + ")";
    case RunState::unhealthy:
      return "! unhealthy";
    case RunState::starting:
      return "… starting";
  }
  return "";
}

Color state_color(const ServerStatus& row) {
  switch (row.state) {
    case RunState::running:
      return Color::green;
    case RunState::stopped:
      return Color::dim;
    case RunState::restarting:
    case RunState::starting:
      return Color::yellow;
    case RunState::unhealthy:
      return Color::red;
  }
  return Color::none;
}

namespace {

std::string cpu_cell(const std::optional<double>& cpu) {
  if (!cpu) return "-";
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.1f%%", *cpu);
  return buffer;
}

std::string memory_cell(const ServerStatus& row) {
  if (!row.memory_usage) return "-";
  std::string text = format_bytes(*row.memory_usage);
  if (row.memory_limit && *row.memory_limit > 0) text += " / " + format_bytes(*row.memory_limit);
  return text;
}

std::string network_cell(const ServerStatus& row) {
  if (row.network == "allow") return "allow " + std::to_string(row.network_allow.size());
  return row.network.empty() ? "-" : row.network;
}

}  // namespace

StatusTable status_table(const std::vector<ServerStatus>& rows, bool deep) {
  StatusTable table;
  table.headers = {"NAME", "STATE", "MODE", "NETWORK", "CPU %", "MEM", "URL", "VERSION", "UPTIME"};
  if (deep) table.headers.push_back("TOOLS");
  size_t running = 0, stopped = 0, troubled = 0;
  double cpu = 0;
  uint64_t memory = 0;
  for (const auto& row : rows) {
    std::vector<std::string> cells = {
        row.name,
        state_cell(row),
        config::to_string(row.mode),
        network_cell(row),
        cpu_cell(row.cpu_percent),
        memory_cell(row),
        row.url.empty() ? "-" : row.url,
        row.version.empty() ? "-" : row.version,
        row.uptime ? format_uptime(*row.uptime) : "-",
    };
    if (deep)
      cells.push_back(row.tools                  ? std::to_string(*row.tools)
                      : row.deep_problem.empty() ? "-"
                                                 : "failed");
    table.rows.push_back(std::move(cells));
    if (row.state == RunState::running)
      ++running;
    else if (row.state == RunState::stopped)
      ++stopped;
    else
      ++troubled;
    cpu += row.cpu_percent.value_or(0);
    memory += row.memory_usage.value_or(0);
  }
  std::string footer = std::to_string(rows.size()) +
                       (rows.size() == 1 ? " server: " : " servers: ") + std::to_string(running) +
                       " running, " + std::to_string(stopped) + " stopped";
  if (troubled) footer += ", " + std::to_string(troubled) + " not well";
  footer += "; cpu " + cpu_cell(cpu) + ", memory " + format_bytes(memory);
  table.footer = footer;
  return table;
}

nlohmann::ordered_json status_json(const std::vector<ServerStatus>& rows, bool deep) {
  using Json = nlohmann::ordered_json;
  Json servers = Json::array();
  double cpu = 0;
  uint64_t memory = 0;
  for (const auto& row : rows) {
    Json entry;
    entry["name"] = row.name;
    entry["mode"] = config::to_string(row.mode);
    entry["enabled"] = row.enabled;
    entry["state"] = runtime::to_string(row.state);
    entry["detail"] = row.detail;
    entry["network"] = row.network == "allow" ? Json{{"allow", row.network_allow}}
                       : row.network.empty()  ? Json(nullptr)
                                              : Json(row.network);
    entry["restartCount"] = row.restart_count;
    entry["cpuPercent"] = row.cpu_percent ? Json(*row.cpu_percent) : Json(nullptr);
    entry["memoryBytes"] = row.memory_usage ? Json(*row.memory_usage) : Json(nullptr);
    entry["memoryLimitBytes"] = row.memory_limit ? Json(*row.memory_limit) : Json(nullptr);
    entry["port"] = row.port ? Json(*row.port) : Json(nullptr);
    entry["url"] = row.url.empty() ? Json(nullptr) : Json(row.url);
    entry["version"] = row.version.empty() ? Json(nullptr) : Json(row.version);
    entry["image"] = row.image.empty() ? Json(nullptr) : Json(row.image);
    entry["uptimeSeconds"] = row.uptime ? Json(row.uptime->count()) : Json(nullptr);
    entry["container"] = row.container_id.empty() ? Json(nullptr) : Json(row.container_id);
    entry["statsFrom"] = row.stats_source.empty() ? Json(nullptr) : Json(row.stats_source);
    if (deep) {
      entry["tools"] = row.tools ? Json(*row.tools) : Json(nullptr);
      if (!row.deep_problem.empty()) entry["probeProblem"] = row.deep_problem;
    }
    servers.push_back(std::move(entry));
    cpu += row.cpu_percent.value_or(0);
    memory += row.memory_usage.value_or(0);
  }
  size_t running = 0;
  for (const auto& row : rows) running += row.state == RunState::running;
  return Json{{"servers", servers},
              {"totals",
               {{"servers", rows.size()},
                {"running", running},
                {"cpuPercent", cpu},
                {"memoryBytes", memory}}}};
}

}  // namespace ccmcp::cli
