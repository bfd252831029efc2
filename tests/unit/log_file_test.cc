#include "runtime/log_file.h"

#include <gtest/gtest.h>

#include <mutex>
#include <thread>

#include "test_util.h"

namespace ccmcp::runtime {
namespace {

using testing::read_file;
using testing::TempDir;
using testing::write_file;

TEST(Timestamp, FormatsAndParsesUtcWithMilliseconds) {
  auto time = std::chrono::system_clock::from_time_t(1748779200) + std::chrono::milliseconds(7);
  EXPECT_EQ(format_timestamp(time), "2025-06-01T12:00:00.007Z");
  EXPECT_EQ(parse_timestamp("2025-06-01T12:00:00.007Z"), time);
  for (const char* bad : {"", "2025-06-01T12:00:00Z", "2025-06-01 12:00:00.007Z",
                          "2025-06-01T12:00:00.00xZ", "2025-06-01T12:00:00.007+"})
    EXPECT_FALSE(parse_timestamp(bad)) << bad;
}

TEST(LogLine, SplitsTheStampFromTheText) {
  LogLine stamped = parse_log_line("2025-06-01T12:00:00.007Z cc-mcp: stopped");
  ASSERT_TRUE(stamped.time);
  EXPECT_EQ(stamped.text, "cc-mcp: stopped");
  EXPECT_EQ(stamped.format(false), "cc-mcp: stopped");
  EXPECT_EQ(stamped.format(true), "2025-06-01T12:00:00.007Z cc-mcp: stopped");
  LogLine plain = parse_log_line("written by someone else");
  EXPECT_FALSE(plain.time);
  EXPECT_EQ(plain.format(true), "written by someone else");
}

TEST(LogWriter, StampsEveryLineAndMovesAFullLogAside) {
  TempDir dir;
  auto path = dir / "x.log";
  LogWriter writer(path, 200);
  writer.line("one");
  writer.line("two\r\nthree");
  auto lines = read_log(path, {});
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_EQ(lines[1].text, "two");
  EXPECT_EQ(lines[2].text, "three");
  EXPECT_TRUE(lines[2].time);
  EXPECT_EQ(testing::file_mode(path), 0600u);
  for (int i = 0; i < 10; ++i) writer.line("filler line " + std::to_string(i));
  EXPECT_TRUE(std::filesystem::exists(dir / "x.log.1"));
  EXPECT_LE(std::filesystem::file_size(path), 200u + 50u);
  EXPECT_EQ(read_log(path, {}).back().text, "filler line 9");
}

TEST(ReadLog, TailAndSince) {
  TempDir dir;
  auto path = dir / "x.log";
  write_file(path,
             "2025-06-01T12:00:00.000Z a\n"
             "not stamped\n"
             "2025-06-01T12:00:01.000Z b\n"
             "2025-06-01T12:00:02.000Z c\n"
             "2025-06-01T12:00:03.000Z half a line");
  auto texts = [](const std::vector<LogLine>& lines) {
    std::vector<std::string> out;
    for (const auto& line : lines) out.push_back(line.text);
    return out;
  };
  using V = std::vector<std::string>;
  EXPECT_EQ(texts(read_log(path, {})), (V{"a", "not stamped", "b", "c"}));
  EXPECT_EQ(texts(read_log(path, {2, std::nullopt})), (V{"b", "c"}));
  EXPECT_EQ(texts(read_log(path, {0, parse_timestamp("2025-06-01T12:00:01.000Z")})), (V{"b", "c"}));
  EXPECT_EQ(texts(read_log(path, {1, parse_timestamp("2025-06-01T12:00:00.000Z")})), (V{"c"}));
  EXPECT_TRUE(read_log(dir / "missing.log", {}).empty());
}

TEST(FollowLog, GivesTheTailThenWhatComesAcrossARotation) {
  TempDir dir;
  auto path = dir / "x.log";
  LogWriter writer(path, 1u << 20);
  writer.line("old 1");
  writer.line("old 2");
  std::mutex mutex;
  std::vector<std::string> seen;
  std::atomic<bool> stop{false};
  auto last_seen = [&] {
    std::lock_guard lock(mutex);
    return seen.empty() ? std::string() : seen.back();
  };
  std::thread follower([&] {
    LogQuery query;
    query.tail = 1;
    follow_log(
        path, query,
        [&](const LogLine& line) {
          std::lock_guard lock(mutex);
          seen.push_back(line.text);
          return line.text != "last";
        },
        &stop);
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  writer.line("new 1");
  std::this_thread::sleep_for(std::chrono::milliseconds(400));
  std::filesystem::rename(path, dir / "x.log.1");  // as a rotation does
  LogWriter next(path, 1u << 20);
  next.line("after rotation");
  next.line("last");
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (std::chrono::steady_clock::now() < deadline && last_seen() != "last")
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  stop = true;
  follower.join();
  EXPECT_EQ(seen, (std::vector<std::string>{"old 2", "new 1", "after rotation", "last"}));
}

}  // namespace
}  // namespace ccmcp::runtime
