#include "bridge/audit_log.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace ccmcp::bridge {
namespace {

namespace fs = std::filesystem;

class AuditLogTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char pattern[] = "/tmp/audit-log-test.XXXXXX";
    ASSERT_NE(::mkdtemp(pattern), nullptr);
    dir_ = pattern;
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::string path(const std::string& name = "audit.jsonl") const { return (dir_ / name).string(); }

  static std::vector<std::string> lines_of(const std::string& file) {
    std::ifstream in(file);
    std::vector<std::string> out;
    for (std::string line; std::getline(in, line);) out.push_back(line);
    return out;
  }

  fs::path dir_;
};

TEST_F(AuditLogTest, AppendsOneLinePerEntryAndKeepsWhatWasThere) {
  {
    AuditLog log({path(), 1 << 20, 3});
    log.write(R"({"n":1})");
    log.write(R"({"n":2})");
    // Flushed per line: readable before the log goes.
    EXPECT_EQ(lines_of(path()), (std::vector<std::string>{R"({"n":1})", R"({"n":2})"}));
  }
  AuditLog again({path(), 1 << 20, 3});
  again.write(R"({"n":3})");
  EXPECT_EQ(lines_of(path()).size(), 3u);
  EXPECT_EQ(again.lines_written(), 1u);
  EXPECT_EQ(fs::status(path()).permissions() & fs::perms::all,
            fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read |
                fs::perms::others_read);
}

TEST_F(AuditLogTest, RotatesBeforeALineWouldPassTheLimitAndKeepsOnlySoMany) {
  std::string line(99, 'x');  // 100 bytes with its newline
  AuditLog log({path(), 250, 2});
  for (int i = 0; i < 7; ++i) log.write(line);
  // Two lines a file: 7 lines are 4 files, of which the oldest fell off.
  EXPECT_EQ(lines_of(path()).size(), 1u);
  EXPECT_EQ(lines_of(path() + ".1").size(), 2u);
  EXPECT_EQ(lines_of(path() + ".2").size(), 2u);
  EXPECT_FALSE(fs::exists(path() + ".3"));
  EXPECT_LE(fs::file_size(path() + ".1"), 250u);
  EXPECT_EQ(log.lines_lost(), 0u);
}

TEST_F(AuditLogTest, RotatedFilesAreOrderedNewestFirst) {
  AuditLog log({path(), 20, 3});
  for (int i = 1; i <= 4; ++i) log.write("entry-" + std::to_string(i) + "-padding");
  EXPECT_EQ(lines_of(path()), std::vector<std::string>{"entry-4-padding"});
  EXPECT_EQ(lines_of(path() + ".1"), std::vector<std::string>{"entry-3-padding"});
  EXPECT_EQ(lines_of(path() + ".3"), std::vector<std::string>{"entry-1-padding"});
}

TEST_F(AuditLogTest, ALineTooLongForTheLimitIsStillWritten) {
  AuditLog log({path(), 10, 1});
  log.write(std::string(50, 'y'));
  log.write(std::string(50, 'z'));
  EXPECT_EQ(lines_of(path()), std::vector<std::string>{std::string(50, 'z')});
  EXPECT_EQ(lines_of(path() + ".1"), std::vector<std::string>{std::string(50, 'y')});
}

TEST_F(AuditLogTest, AFullDiskIsCountedNotThrown) {
  // /dev/full: every write fails with ENOSPC, as on a full volume.
  AuditLog log({"/dev/full", 1 << 20, 3});
  testing::internal::CaptureStderr();
  log.write(R"({"n":1})");
  log.write(R"({"n":2})");
  std::string said = testing::internal::GetCapturedStderr();
  EXPECT_EQ(log.lines_lost(), 2u);
  EXPECT_EQ(log.lines_written(), 0u);
  EXPECT_NE(said.find("No space left on device"), std::string::npos) << said;
  // Said once, not once per line.
  EXPECT_EQ(said.find("cc-mcp-bridge: audit"), said.rfind("cc-mcp-bridge: audit")) << said;
}

TEST_F(AuditLogTest, AnUnwritableFolderIsAStartUpError) {
  EXPECT_THROW(AuditLog({(dir_ / "missing" / "audit.jsonl").string(), 1 << 20, 3}),
               std::runtime_error);
}

TEST_F(AuditLogTest, ATornLastLineGetsTheNextEntryOnALineOfItsOwn) {
  {
    std::ofstream out(path());
    out << R"({"n":1})"
        << "\n"
        << R"({"n":2, "cut)";
  }
  AuditLog log({path(), 1 << 20, 3});
  log.write(R"({"n":3})");
  auto lines = lines_of(path());
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_EQ(lines[2], R"({"n":3})");
}

TEST_F(AuditLogTest, AFolderThatGoesAwayLosesEntriesUntilItIsBack) {
  fs::create_directory(dir_ / "sub");
  std::string file = (dir_ / "sub" / "audit.jsonl").string();
  AuditLog log({file, 30, 2});
  log.write(std::string(20, 'a'));
  fs::remove_all(dir_ / "sub");
  testing::internal::CaptureStderr();
  log.write(std::string(20, 'b'));  // rotation fails: the folder is gone
  testing::internal::GetCapturedStderr();
  EXPECT_EQ(log.lines_lost(), 1u);
  fs::create_directory(dir_ / "sub");
  log.write(std::string(20, 'c'));
  EXPECT_EQ(lines_of(file), std::vector<std::string>{std::string(20, 'c')});
}

}  // namespace
}  // namespace ccmcp::bridge
