// How `cc-mcp status` shows its rows: the cells of the table, the footer
// line of totals, and the JSON for scripts. Pure formatting, no I/O.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "cli/output.h"
#include "runtime/status.h"

namespace ccmcp::cli {

// "12.5KiB", "3.2MiB", "512MiB", "1.5GiB" (as docker stats writes them).
std::string format_bytes(uint64_t bytes);
// "45s", "3m12s", "2h05m", "4d03h".
std::string format_uptime(std::chrono::seconds uptime);
// "✓ running", "✓ running ↻2", "✗ stopped", "↻ restarting (4)", "! unhealthy".
std::string state_cell(const runtime::ServerStatus& row);
Color state_color(const runtime::ServerStatus& row);

struct StatusTable {
  std::vector<std::string> headers;
  std::vector<std::vector<std::string>> rows;  // unpainted
  std::string footer;
};

StatusTable status_table(const std::vector<runtime::ServerStatus>& rows, bool deep);

nlohmann::ordered_json status_json(const std::vector<runtime::ServerStatus>& rows, bool deep);

}  // namespace ccmcp::cli
