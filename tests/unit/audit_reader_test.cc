#include "runtime/audit_reader.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <fstream>
#include <thread>

#include "util/error.h"

namespace ccmcp::runtime {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono;

class AuditReaderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char pattern[] = "/tmp/audit-reader-test.XXXXXX";
    ASSERT_NE(::mkdtemp(pattern), nullptr);
    dir_ = pattern;
    file_ = dir_ / "audit.jsonl";
  }
  void TearDown() override { fs::remove_all(dir_); }

  static std::string entry(const std::string& time, const std::string& name) {
    return R"({"time":")" + time +
           R"(","session":"0123456789abcdef","method":"tools/call","name":")" + name +
           R"(","argsBytes":13,"argsSha256":"ab","durationMs":4,"status":"ok"})";
  }
  void append(const fs::path& path, const std::string& line) {
    std::ofstream(path, std::ios::app) << line << "\n";
  }
  static std::vector<std::string> names(const std::vector<AuditEntry>& entries) {
    std::vector<std::string> out;
    for (const auto& e : entries) out.push_back(e.fields["name"]);
    return out;
  }

  fs::path dir_, file_;
};

TEST_F(AuditReaderTest, RotatedFilesAreReadOldestFirst) {
  append(file_.string() + ".2", entry("2026-12-08T10:00:00.000Z", "a"));
  append(file_.string() + ".1", entry("2026-12-08T10:00:01.000Z", "b"));
  append(file_, entry("2026-12-08T10:00:02.000Z", "c"));
  append(file_, "{\"torn");  // a line a full disk cut short: skipped
  append(file_, entry("2026-12-08T10:00:03.000Z", "d"));
  EXPECT_EQ(names(read_audit(file_, {})), (std::vector<std::string>{"a", "b", "c", "d"}));
  AuditQuery last_two;
  last_two.last = 2;
  EXPECT_EQ(names(read_audit(file_, last_two)), (std::vector<std::string>{"c", "d"}));
  AuditQuery since;
  since.since = parse_audit_since("2026-12-08T10:00:01Z", system_clock::now());
  EXPECT_EQ(names(read_audit(file_, since)), (std::vector<std::string>{"b", "c", "d"}));
  EXPECT_TRUE(read_audit(dir_ / "none.jsonl", {}).empty());
}

TEST_F(AuditReaderTest, SinceTakesDurationsAndTimes) {
  auto now = system_clock::now();
  EXPECT_EQ(parse_audit_since("10m", now), now - minutes(10));
  EXPECT_EQ(parse_audit_since("1h30m", now), now - minutes(90));
  auto t = parse_audit_since("2026-12-08T10:00:00.250Z", now);
  EXPECT_EQ(duration_cast<milliseconds>(t.time_since_epoch()).count(), 1796724000250);
  auto offset = parse_audit_since("2026-12-08T11:00:00+01:00", now);
  EXPECT_EQ(duration_cast<seconds>(offset.time_since_epoch()).count(), 1796724000);
  for (const char* bad : {"yesterday", "10", "2026-12-08", ""}) {
    try {
      parse_audit_since(bad, now);
      ADD_FAILURE() << bad;
    } catch (const Error& error) {
      EXPECT_EQ(error.kind(), ErrorKind::usage);
      EXPECT_EQ(error.subject(), "--since");
    }
  }
}

TEST_F(AuditReaderTest, AReadableLineHasEveryField) {
  ::setenv("TZ", "UTC", 1);
  ::tzset();
  auto ok = parse_audit_line(entry("2026-12-08T10:00:00.123Z", "read_file"));
  ASSERT_TRUE(ok);
  EXPECT_EQ(format_audit_entry(*ok),
            "2026-12-08 10:00:00.123  01234567  tools/call  read_file  4 ms  13 B  ok");
  auto error = parse_audit_line(
      R"({"time":"2026-12-08T10:00:00.000Z","session":"s","method":"prompts/get","name":"p",)"
      R"("argsBytes":0,"durationMs":1,"status":"error","error":{"code":-32602,"message":"bad"}})");
  EXPECT_EQ(format_audit_entry(*error),
            "2026-12-08 10:00:00.000  s  prompts/get  p  1 ms  0 B  error -32602: bad");
  EXPECT_FALSE(parse_audit_line("not json"));
  EXPECT_FALSE(parse_audit_line("[1]"));
}

TEST_F(AuditReaderTest, FollowSeesNewEntriesAcrossARotation) {
  append(file_, entry("2026-12-08T10:00:00.000Z", "before"));
  std::atomic<bool> stop{false};
  std::vector<std::string> seen;
  std::mutex lock;
  std::thread follower([&] {
    follow_audit(
        file_,
        [&](const AuditEntry& e) {
          std::lock_guard guard(lock);
          seen.push_back(e.fields["name"]);
          return true;
        },
        &stop);
  });
  auto wait_for = [&](size_t count) {
    for (int i = 0; i < 50; ++i) {
      {
        std::lock_guard guard(lock);
        if (seen.size() >= count) return;
      }
      std::this_thread::sleep_for(milliseconds(100));
    }
  };
  std::this_thread::sleep_for(milliseconds(300));
  append(file_, entry("2026-12-08T10:00:01.000Z", "new"));
  wait_for(1);
  // The bridge rotates: the last line went into the old file just before.
  append(file_, entry("2026-12-08T10:00:02.000Z", "last-of-old"));
  fs::rename(file_, file_.string() + ".1");
  append(file_, entry("2026-12-08T10:00:03.000Z", "first-of-new"));
  wait_for(3);
  stop = true;
  follower.join();
  EXPECT_EQ(seen, (std::vector<std::string>{"new", "last-of-old", "first-of-new"}));
}

}  // namespace
}  // namespace ccmcp::runtime
