#include "updates/policy.h"

#include <gtest/gtest.h>

#include "test_util.h"
#include "updates/notice.h"
#include "updates/schedule.h"

namespace ccmcp::updates {
namespace {

using ccmcp::testing::TempDir;
using Json = nlohmann::ordered_json;
using std::chrono::hours;
using std::chrono::minutes;

TimePoint t(const char* text) {
  return *parse_rfc3339(text);
}

config::Server server(const std::string& name, std::optional<std::chrono::seconds> interval = {},
                      std::optional<config::UpdatePolicy> policy = {}) {
  config::Server out;
  out.name = name;
  out.mode = config::Mode::docker;
  config::Source source;
  source.check_interval = interval;
  source.update_policy = policy;
  out.source = source;
  return out;
}

Json checked(const std::string& name, const char* at, bool available = false) {
  Json root;
  root["servers"][name]["updates"]["check"] = {{"at", at}, {"available", available}};
  return root;
}

TEST(UpdatePolicy, DefaultsAreManualEveryDay) {
  EXPECT_EQ(policy_of(server("a")), config::UpdatePolicy::manual);
  EXPECT_EQ(check_interval_of(server("a")), hours(24));
  EXPECT_EQ(policy_of(server("a", {}, config::UpdatePolicy::scheduled)),
            config::UpdatePolicy::scheduled);
  EXPECT_EQ(check_interval_of(server("a", hours(6))), hours(6));
}

TEST(UpdatePolicy, DueWhenNeverCheckedOrTheIntervalPassed) {
  auto six = server("fs", hours(6));
  Json root = checked("fs", "2026-12-07T10:00:00Z");
  FakeClock clock(t("2026-12-07T10:00:00Z"));
  EXPECT_FALSE(is_due(six, root, clock.now()));
  clock.advance(hours(5) + minutes(59));
  EXPECT_FALSE(is_due(six, root, clock.now()));
  clock.advance(minutes(1));
  EXPECT_TRUE(is_due(six, root, clock.now()));              // exactly six hours
  EXPECT_TRUE(is_due(server("other"), root, clock.now()));  // never checked
  EXPECT_TRUE(is_due(six, checked("fs", "garbage"), clock.now()));
  EXPECT_TRUE(is_due(six, Json::array(), clock.now()));
}

TEST(UpdatePolicy, DueServersKeepTheirOrder) {
  TempDir dir;
  runtime::StateStore state(config::Home{dir.path()});
  state.update(
      [](Json& root) { root["servers"]["b"]["updates"]["check"]["at"] = "2026-12-07T10:00:00Z"; });
  auto a = server("a"), b = server("b", hours(1)), c = server("c");
  FakeClock clock(t("2026-12-07T10:30:00Z"));
  auto due = due_servers({&a, &b, &c}, state, clock);
  ASSERT_EQ(due.size(), 2u);
  EXPECT_EQ(due[0]->name, "a");
  EXPECT_EQ(due[1]->name, "c");
  clock.advance(minutes(30));
  EXPECT_EQ(due_servers({&a, &b, &c}, state, clock).size(), 3u);
}

TEST(UpdatePolicy, RunningVersionCorrectsTheKeptCheck) {
  TempDir dir;
  runtime::StateStore state(config::Home{dir.path()});
  state.update([](Json& root) {
    root["servers"]["git"]["updates"]["check"] = {
        {"current", "aaa"}, {"latest", "bbb"}, {"latestCommit", "bbb111"}, {"available", true}};
    root["servers"]["npm"]["updates"]["check"] = {
        {"current", "1.0.0"}, {"latest", "1.1.0"}, {"latestCommit", ""}, {"available", true}};
  });
  record_running_version(state, "git", {"bbb", "bbb111", "sha256:b"});
  record_running_version(state, "npm", {"1.0.1", "", "sha256:n"});
  record_running_version(state, "never", {"1", "", ""});
  Json root = state.load();
  EXPECT_EQ(root["servers"]["git"]["updates"]["check"]["available"], false);
  EXPECT_EQ(root["servers"]["git"]["updates"]["check"]["current"], "bbb");
  EXPECT_EQ(root["servers"]["npm"]["updates"]["check"]["available"], true);  // 1.1.0 still newer
  EXPECT_FALSE(root["servers"].contains("never"));
}

TEST(UpdateNotice, CountsAvailableAndSpacesTheBackgroundCheck) {
  Json root = checked("a", "2026-12-07T10:00:00Z", true);
  root["servers"]["b"]["updates"]["check"] = {{"available", false}};
  root["servers"]["c"]["updates"]["check"] = {{"available", true}};
  root["servers"]["d"] = 7;
  auto facts = notice_facts(root, t("2026-12-07T10:00:00Z"));
  EXPECT_EQ(facts.available, (std::vector<std::string>{"a", "c"}));
  EXPECT_TRUE(facts.background_due);  // never started
  root["updates"]["backgroundCheckAt"] = "2026-12-07T10:00:00Z";
  EXPECT_FALSE(notice_facts(root, t("2026-12-07T10:14:59Z")).background_due);
  EXPECT_TRUE(notice_facts(root, t("2026-12-07T10:15:00Z")).background_due);
  EXPECT_TRUE(notice_facts(root, t("2026-12-07T09:00:00Z")).background_due);  // clock set back
  EXPECT_EQ(notice_text(facts),
            "📦 Updates available for 2 MCPs (a, c)\nRun 'cc-mcp update-all' to update\n");
  EXPECT_EQ(notice_text(NoticeFacts{}), "");
  NoticeFacts many;
  many.available = {"a", "b", "c", "d", "e", "f"};
  EXPECT_EQ(notice_text(many),
            "📦 Updates available for 6 MCPs (a, b, c, d, e, ...)\nRun 'cc-mcp update-all' to "
            "update\n");
}

TEST(UpdateNotice, ReadsOnlyWhatItNeedsFromTheStateFile) {
  TempDir dir;
  Json root = checked("a", "2026-12-07T10:00:00Z", true);
  root["servers"]["a"]["tests"]["toolsets"]["1"]["tools"] = Json::array({{{"name", "x"}}});
  root["servers"]["a"]["updates"]["history"] = Json::array({{{"available", true}}});
  root["servers"]["b"]["updates"]["check"] = {{"available", false}};
  root["updates"]["backgroundCheckAt"] = "2026-12-07T10:00:00Z";
  root["images"]["sha256:1"]["tests"] = {{"x", 1}};
  testing::write_file(dir / "servers.json", root.dump(2));
  auto facts = read_notice_facts(dir / "servers.json", t("2026-12-07T10:01:00Z"));
  EXPECT_EQ(facts.available, std::vector<std::string>{"a"});
  EXPECT_FALSE(facts.background_due);
  testing::write_file(dir / "broken.json", "{\"servers\": {\"a\": ");
  auto broken = read_notice_facts(dir / "broken.json", t("2026-12-07T10:01:00Z"));
  EXPECT_TRUE(broken.available.empty());
  EXPECT_TRUE(broken.background_due);
  EXPECT_TRUE(read_notice_facts(dir / "none.json", t("2026-12-07T10:01:00Z")).background_due);
}

TEST(UpdateSchedule, CrontabLinesOfOthersAreKept) {
  std::string marker = "# cc-mcp schedule 1234abcd (/h)";
  std::string theirs = "# theirs\n0 3 * * * echo keep\n";
  std::string with = crontab_with(theirs, marker, "*/15 * * * * run " + marker);
  EXPECT_EQ(with, theirs + "*/15 * * * * run " + marker + "\n");
  EXPECT_EQ(crontab_with(with, marker, "*/15 * * * * again " + marker),
            theirs + "*/15 * * * * again " + marker + "\n");
  EXPECT_EQ(crontab_without(with, marker), theirs);
  EXPECT_EQ(crontab_with("", marker, "x " + marker), "x " + marker + "\n");
  EXPECT_EQ(crontab_with("0 3 * * * no-newline", marker, "x " + marker),
            "0 3 * * * no-newline\nx " + marker + "\n");
  EXPECT_EQ(crontab_without("", marker), "");
  // another home's line is not ours
  std::string other = "*/15 * * * * run # cc-mcp schedule 99999999 (/other)\n";
  EXPECT_EQ(crontab_without(other, marker), other);
}

TEST(UpdateSchedule, TheCommandIsQuotedForTheShell) {
  ScheduleTarget target;
  target.binary = "/opt/cc mcp/cc-mcp";
  target.config_file = "/home/a/it's/mcp.json";
  target.home = config::Home{"/home/a/.cc-mcp"};
  EXPECT_EQ(scheduled_command(target),
            "CC_MCP_HOME='/home/a/.cc-mcp' '/opt/cc mcp/cc-mcp' '--config' "
            "'/home/a/it'\\''s/mcp.json' 'update' '--due' '-q'");
}

}  // namespace
}  // namespace ccmcp::updates
