#include "cli/status_view.h"

#include <gtest/gtest.h>

namespace ccmcp::cli {
namespace {

using runtime::RunState;
using runtime::ServerStatus;

ServerStatus running_row() {
  ServerStatus row;
  row.name = "filesystem";
  row.state = RunState::running;
  row.cpu_percent = 0.25;
  row.memory_usage = 23u << 20;
  row.memory_limit = 512u << 20;
  row.port = 24117;
  row.url = "http://127.0.0.1:24117/mcp";
  row.version = "2025.8.21";
  row.network = "none";
  row.uptime = std::chrono::seconds(3 * 3600 + 5 * 60 + 9);
  return row;
}

TEST(StatusView, Bytes) {
  EXPECT_EQ(format_bytes(0), "0B");
  EXPECT_EQ(format_bytes(1023), "1023B");
  EXPECT_EQ(format_bytes(1536), "1.5KiB");
  EXPECT_EQ(format_bytes(512ull << 20), "512MiB");
  EXPECT_EQ(format_bytes((23ull << 20) + (1ull << 19)), "23.5MiB");
  EXPECT_EQ(format_bytes(3ull << 30), "3GiB");
}

TEST(StatusView, Uptime) {
  EXPECT_EQ(format_uptime(std::chrono::seconds(45)), "45s");
  EXPECT_EQ(format_uptime(std::chrono::seconds(192)), "3m12s");
  EXPECT_EQ(format_uptime(std::chrono::seconds(7500)), "2h05m");
  EXPECT_EQ(format_uptime(std::chrono::seconds(4 * 86400 + 3 * 3600)), "4d03h");
}

TEST(StatusView, StateCells) {
  ServerStatus row = running_row();
  EXPECT_EQ(state_cell(row), "✓ running");
  row.restart_count = 2;
  EXPECT_EQ(state_cell(row), "✓ running ↻2");
  row.state = RunState::restarting;
  row.restart_count = 4;
  EXPECT_EQ(state_cell(row), "↻ restarting (4)");
  row.state = RunState::unhealthy;
  EXPECT_EQ(state_cell(row), "! unhealthy");
  EXPECT_EQ(state_color(row), Color::red);
  row.state = RunState::stopped;
  EXPECT_EQ(state_cell(row), "✗ stopped");
}

TEST(StatusView, TableRowsAndFooter) {
  ServerStatus stopped;
  stopped.name = "memory";
  stopped.port = 20001;
  ServerStatus restarting;
  restarting.name = "crashy";
  restarting.state = RunState::restarting;
  restarting.restart_count = 3;
  stopped.network = "allow";
  stopped.network_allow = {"api.github.com:443", "*.example.com:443"};
  StatusTable table = status_table({running_row(), stopped, restarting}, false);
  EXPECT_EQ(table.headers, (std::vector<std::string>{"NAME", "STATE", "MODE", "NETWORK", "CPU %",
                                                     "MEM", "URL", "VERSION", "UPTIME"}));
  EXPECT_EQ(table.rows[0],
            (std::vector<std::string>{"filesystem", "✓ running", "docker", "none", "0.2%",
                                      "23MiB / 512MiB", "http://127.0.0.1:24117/mcp", "2025.8.21",
                                      "3h05m"}));
  EXPECT_EQ(table.rows[1], (std::vector<std::string>{"memory", "✗ stopped", "docker", "allow 2",
                                                     "-", "-", "-", "-", "-"}));
  EXPECT_EQ(table.rows[2][3], "-");  // not known
  EXPECT_EQ(table.rows[2][1], "↻ restarting (3)");
  EXPECT_EQ(table.footer, "3 servers: 1 running, 1 stopped, 1 not well; cpu 0.2%, memory 23MiB");
}

TEST(StatusView, DeepAddsTools) {
  ServerStatus row = running_row();
  row.tools = 14;
  ServerStatus failed = running_row();
  failed.deep_problem = "tools/list failed";
  StatusTable table = status_table({row, failed}, true);
  EXPECT_EQ(table.headers.back(), "TOOLS");
  EXPECT_EQ(table.rows[0].back(), "14");
  EXPECT_EQ(table.rows[1].back(), "failed");
  EXPECT_EQ(table.footer, "2 servers: 2 running, 0 stopped; cpu 0.5%, memory 46MiB");
}

TEST(StatusView, Json) {
  auto json = status_json({running_row()}, true);
  const auto& entry = json["servers"][0];
  EXPECT_EQ(entry["state"], "running");
  EXPECT_EQ(entry["port"], 24117);
  EXPECT_EQ(entry["memoryLimitBytes"], 512u << 20);
  EXPECT_EQ(entry["uptimeSeconds"], 11109);
  EXPECT_TRUE(entry["tools"].is_null());
  EXPECT_EQ(entry["network"], "none");
  EXPECT_EQ(json["totals"]["running"], 1);
  ServerStatus allowing = running_row();
  allowing.network = "allow";
  allowing.network_allow = {"api.github.com:443"};
  EXPECT_EQ(status_json({allowing}, false)["servers"][0]["network"].dump(),
            R"({"allow":["api.github.com:443"]})");
}

}  // namespace
}  // namespace ccmcp::cli
