#include "updates/history.h"

#include <gtest/gtest.h>

#include "test_util.h"
#include "updates/replace.h"

namespace ccmcp::updates {
namespace {

using ccmcp::testing::TempDir;

HistoryEntry entry(Action action, Outcome outcome, const std::string& from, const std::string& to) {
  HistoryEntry out;
  out.at = *parse_rfc3339("2026-12-07T17:40:01Z");
  out.action = action;
  out.outcome = outcome;
  out.from = {from, "c-" + from, "sha256:" + from};
  out.to = {to, "", "sha256:" + to};
  out.source = "git file:///r branch main";
  return out;
}

TEST(UpdateHistory, EntriesRoundTripThroughTheState) {
  TempDir dir;
  runtime::StateStore state(config::Home{dir.path()});
  HistoryEntry first = entry(Action::update, Outcome::kept, "1.0.0", "1.1.0");
  first.tools.added = {"reverse"};
  first.tools.description_changed = {"echo"};
  HistoryEntry second = entry(Action::update, Outcome::rolled_back, "1.1.0", "1.2.0");
  second.step = "test";
  second.reason = "version 1.2.0 failed the tester";
  append_history(state, "fs", first);
  append_history(state, "fs", second);
  append_history(state, "other", entry(Action::rollback, Outcome::kept, "2", "1"));

  auto history = read_history(state, "fs");
  ASSERT_EQ(history.size(), 2u);
  EXPECT_EQ(to_json(history[0]), to_json(first));
  EXPECT_EQ(to_json(history[1]), to_json(second));
  EXPECT_EQ(history[0].tools.added, std::vector<std::string>{"reverse"});
  EXPECT_EQ(history[1].step, "test");
  EXPECT_EQ(read_history(state, "other").size(), 1u);
  EXPECT_TRUE(read_history(state, "none").empty());
}

TEST(UpdateHistory, KeepsTheNewestEntriesOnly) {
  TempDir dir;
  runtime::StateStore state(config::Home{dir.path()});
  for (size_t i = 0; i < kHistoryKept + 5; ++i)
    append_history(state, "fs",
                   entry(Action::update, Outcome::kept, std::to_string(i), std::to_string(i + 1)));
  auto history = read_history(state, "fs");
  ASSERT_EQ(history.size(), kHistoryKept);
  EXPECT_EQ(history.front().from.version, "5");
  EXPECT_EQ(history.back().from.version, std::to_string(kHistoryKept + 4));
}

TEST(UpdateHistory, UnknownWordsAndBrokenEntriesDoNotThrow) {
  auto parsed = history_entry_from_json(
      {{"action", "teleport"}, {"outcome", "??"}, {"from", 3}, {"tools", "x"}});
  EXPECT_EQ(parsed.action, Action::update);
  EXPECT_EQ(parsed.outcome, Outcome::failed);
  EXPECT_TRUE(parsed.from.version.empty());
  EXPECT_TRUE(parsed.tools.empty());
  EXPECT_EQ(history_entry_from_json(nlohmann::ordered_json::array()).source, "");
}

TEST(UpdateJournal, WrittenReadAndCleared) {
  TempDir dir;
  runtime::StateStore state(config::Home{dir.path()});
  EXPECT_FALSE(read_journal(state, "fs"));
  Journal journal;
  journal.server = "fs";
  journal.container = "mcp-fs";
  journal.step = "replacing";
  journal.action = "rollback";
  journal.from = {"2", "", "sha256:2"};
  journal.to = {"1", "abc", "sha256:1"};
  journal.port = 24117;
  journal.pid = 42;
  write_journal(state, journal);
  append_history(state, "fs", entry(Action::update, Outcome::kept, "1", "2"));
  auto read = read_journal(state, "fs");
  ASSERT_TRUE(read);
  EXPECT_EQ(read->container, "mcp-fs");
  EXPECT_EQ(read->action, "rollback");
  EXPECT_EQ(read->to.commit, "abc");
  EXPECT_EQ(read->port, 24117);
  EXPECT_EQ(read->pid, 42);
  clear_journal(state, "fs");
  EXPECT_FALSE(read_journal(state, "fs"));
  EXPECT_EQ(read_history(state, "fs").size(), 1u);  // the rest of "updates" stays
  EXPECT_EQ(previous_container_name("mcp-fs"), "mcp-fs-previous");
}

}  // namespace
}  // namespace ccmcp::updates
