#include "config/store.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <barrier>
#include <chrono>
#include <cstdio>
#include <functional>
#include <string>
#include <thread>
#include <vector>

#include "test_util.h"
#include "util/unique_fd.h"

namespace ccmcp::config {
namespace {

using ccmcp::testing::file_mode;
using ccmcp::testing::read_file;
using ccmcp::testing::TempDir;
using ccmcp::testing::with_dir;
using ccmcp::testing::write_file;
using Names = std::set<std::string>;

const std::string kValid = R"(// my servers
{
  "mcpServers": {
    "fs": {"command": "npx"}, // files
    "gh": {"command": "npx", "args": ["x"]}
  }
}
)";

ConfigChange disable(const std::string& name) {
  return [name](const LoadedConfig&, Json& root) { root["mcpServers"][name]["disabled"] = true; };
}

std::vector<std::string> formatted(const std::vector<Diagnostic>& diagnostics) {
  std::vector<std::string> out;
  for (const auto& d : diagnostics) out.push_back(d.format());
  return out;
}

class StoreTest : public ::testing::Test {
 protected:
  std::filesystem::path file() const { return dir / "mcp.json"; }
  ConfigLocation location() const { return {file(), "mcp.json"}; }
  TempDir dir;
};

TEST_F(StoreTest, WritesTheChangeKeepsTheOldInBakAndKeepsTheMode) {
  write_file(file(), kValid);
  ::chmod(file().c_str(), 0640);
  UpdateResult result = update_config(location(), disable("fs"));
  EXPECT_TRUE(result.changed);
  EXPECT_TRUE(result.layout_kept);
  EXPECT_FALSE(result.comments_dropped);
  EXPECT_EQ(result.backup, dir / "mcp.json.bak");
  std::string expected = kValid;
  expected.replace(expected.find("\"npx\"}"), 6, "\"npx\", \"disabled\": true}");
  EXPECT_EQ(read_file(file()), expected);
  EXPECT_EQ(read_file(dir / "mcp.json.bak"), kValid);
  EXPECT_EQ(file_mode(file()), 0640u);
  EXPECT_EQ(file_mode(dir / "mcp.json.bak"), 0640u);
  EXPECT_EQ(dir.names(), (Names{"mcp.json", "mcp.json.bak"}));
  EXPECT_TRUE(load_valid_config(location()).validation.config.find("fs")->disabled);
}

TEST_F(StoreTest, NoChangeWritesNothing) {
  write_file(file(), kValid);
  UpdateResult result = update_config(location(), [](const LoadedConfig&, Json&) {});
  EXPECT_FALSE(result.changed);
  EXPECT_EQ(read_file(file()), kValid);
  EXPECT_EQ(dir.names(), Names{"mcp.json"});
}

TEST_F(StoreTest, ASymlinkedFileIsWrittenThroughAndStaysALink) {
  std::filesystem::create_directory(dir / "real");
  write_file(dir / "real" / "mcp.json", kValid);
  std::filesystem::create_symlink("real/mcp.json", file());
  UpdateResult result = update_config(location(), disable("gh"));
  EXPECT_TRUE(result.changed);
  EXPECT_TRUE(std::filesystem::is_symlink(file()));
  EXPECT_EQ(std::filesystem::read_symlink(file()), "real/mcp.json");
  EXPECT_NE(read_file(dir / "real" / "mcp.json").find("\"disabled\": true"), std::string::npos);
  EXPECT_EQ(read_file(dir / "real" / "mcp.json.bak"), kValid);
  EXPECT_EQ(dir.names(), (Names{"mcp.json", "real"}));
}

TEST_F(StoreTest, AChangeThatWouldMakeItInvalidIsRefused) {
  write_file(file(), kValid);
  try {
    update_config(location(), [](const LoadedConfig&, Json& root) {
      root["mcpServers"]["fs"]["limits"] = {{"memory", "512x"}};
      root["mcpServers"]["Bad Name"] = {{"command", "x"}};
    });
    FAIL() << "no exception";
  } catch (const InvalidConfig& e) {
    EXPECT_EQ(e.kind(), ErrorKind::config);
    EXPECT_EQ(e.message(), "mcp.json: has 2 errors (fix them, then run cc-mcp config validate)");
    ASSERT_EQ(e.diagnostics().size(), 2u);
    EXPECT_EQ(e.diagnostics()[0].path, "mcpServers.fs.limits.memory");
    EXPECT_EQ(e.diagnostics()[0].problem, "\"512x\" is not a size");
    EXPECT_EQ(e.diagnostics()[1].path, "mcpServers[\"Bad Name\"]");
  }
  EXPECT_EQ(read_file(file()), kValid);
  EXPECT_EQ(dir.names(), Names{"mcp.json"});
}

TEST_F(StoreTest, AChangeThatThrowsWritesNothing) {
  write_file(file(), kValid);
  EXPECT_THROW(update_config(location(),
                             [](const LoadedConfig&, Json& root) {
                               root["mcpServers"].erase("fs");
                               throw Error(ErrorKind::not_found, "nope", "is not a server");
                             }),
               Error);
  EXPECT_EQ(read_file(file()), kValid);
  EXPECT_EQ(dir.names(), Names{"mcp.json"});
}

struct BadInput {
  const char* name;
  std::function<void(const std::filesystem::path&)> make;
  std::string message;                   // "{dir}" is the folder
  std::vector<std::string> diagnostics;  // for InvalidConfig
};

const std::string kNameHint =
    " (use 1 to 63 characters of a-z, 0-9, '.', '_' and '-', starting with a letter or digit)";
const std::string kHasOne = "mcp.json: has 1 error (fix them, then run cc-mcp config validate)";

std::function<void(const std::filesystem::path&)> text(std::string content) {
  return [content](const std::filesystem::path& path) { write_file(path, content); };
}

TEST(StoreBadInput, EachGivesItsMessageAndLeavesTheFileAlone) {
  const std::vector<BadInput> table = {
      {"malformed",
       text(R"({"mcpServers": {"fs": {"command": "npx"}})"),
       kHasOne,
       {"mcp.json:1:1: this object is never closed (add the missing '}')"}},
      {"wrong_types",
       text(R"({"mcpServers": {"fs": {"command": ["npx"], "args": "x"}}})"),
       "mcp.json: has 2 errors (fix them, then run cc-mcp config validate)",
       {"mcp.json:1:35: mcpServers.fs.command: must be a string, not an array",
        "mcp.json:1:52: mcpServers.fs.args: must be an array of strings, not a string (write "
        "[\"--flag\", \"value\"])"}},
      {"bad_size",
       text(R"({"mcpServers": {"fs": {"command": "npx", "limits": {"memory": "lots"}}}})"),
       kHasOne,
       {"mcp.json:1:63: mcpServers.fs.limits.memory: \"lots\" is not a size (use e.g. 512m or "
        "1g)"}},
      {"bad_name",
       text(R"({"mcpServers": {"fs": {"command": "npx"}, "My Server": {"command": "x"}}})"),
       kHasOne,
       {"mcp.json:1:43: mcpServers[\"My Server\"]: server name \"My Server\" is not allowed" +
        kNameHint}},
      {"empty_file",
       text(""),
       kHasOne,
       {"mcp.json:1:1: the file is empty (start from {\"mcpServers\": {}})"}},
      {"huge_file",
       text(kValid + "//" + std::string(8 << 20, 'x')),
       "mcp.json: is 9 MiB, more than the 8 MiB a config may have (is this the right file?)",
       {}},
      {"directory",
       [](const auto& path) { std::filesystem::create_directory(path); },
       "mcp.json: is a folder, not a file (pass the file itself, e.g. --config "
       "{dir}/mcp.json/mcp.json)",
       {}},
      {"missing", [](const auto&) {}, "mcp.json: does not exist", {}},
  };
  for (const auto& bad : table) {
    SCOPED_TRACE(bad.name);
    TempDir dir;
    std::filesystem::path path = dir / "mcp.json";
    bad.make(path);
    bool regular = std::filesystem::is_regular_file(path);
    std::string before = regular ? read_file(path) : "";
    Names names = dir.names();
    try {
      update_config({path, "mcp.json"}, disable("fs"));
      ADD_FAILURE() << "no exception";
    } catch (const InvalidConfig& e) {
      EXPECT_EQ(e.message(), with_dir(bad.message, dir.path()));
      EXPECT_EQ(formatted(e.diagnostics()), bad.diagnostics);
    } catch (const Error& e) {
      EXPECT_EQ(e.message(), with_dir(bad.message, dir.path()));
      EXPECT_TRUE(bad.diagnostics.empty());
    }
    EXPECT_EQ(std::filesystem::is_regular_file(path), regular);
    if (regular) {
      EXPECT_TRUE(read_file(path) == before) << "the file changed";
    }
    EXPECT_EQ(dir.names(), names);
  }
}

// Runs `body` in a child process as the user nobody; returns what it wrote.
std::string as_nobody(const std::function<std::string()>& body, bool& skipped) {
  int out[2];
  if (::pipe(out) != 0) throw std::runtime_error("pipe");
  pid_t pid = ::fork();
  if (pid == 0) {
    ::close(out[0]);
    if (::getuid() == 0 && (::setgid(65534) != 0 || ::setuid(65534) != 0)) ::_exit(77);
    std::string said = body();
    (void)!::write(out[1], said.data(), said.size());
    ::_exit(0);
  }
  ::close(out[1]);
  std::string said;
  char buffer[512];
  for (ssize_t n; (n = ::read(out[0], buffer, sizeof buffer)) > 0;) said.append(buffer, n);
  ::close(out[0]);
  int status = 0;
  ::waitpid(pid, &status, 0);
  skipped = WIFEXITED(status) && WEXITSTATUS(status) == 77;
  return said;
}

void check_no_permission(bool folder_writable, const std::string& expected) {
  TempDir dir;
  std::filesystem::path path = dir / "mcp.json";
  write_file(path, kValid);
  ::chmod(dir.path().c_str(), 0755);
  ::chmod(path.c_str(), 0644);
  // The folder, or else the file, belongs to nobody; the other stays root's.
  if (::getuid() == 0 && ::chown((folder_writable ? dir.path() : path).c_str(), 65534, 65534))
    FAIL() << "chown failed";
  if (::getuid() != 0) ::chmod((folder_writable ? path : dir.path()).c_str(), 0555);
  bool skipped = false;
  std::string said = as_nobody(
      [&] {
        try {
          update_config({path, "mcp.json"}, disable("fs"));
          return std::string("no exception");
        } catch (const Error& e) {
          return e.message();
        }
      },
      skipped);
  ::chmod(dir.path().c_str(), 0755);
  if (skipped) GTEST_SKIP() << "cannot become nobody";
  EXPECT_EQ(said, expected);
  EXPECT_EQ(read_file(path), kValid);
  EXPECT_EQ(dir.names(), Names{"mcp.json"});
}

TEST(StoreNoPermission, AFileThatCannotBeWrittenIsLeftAlone) {
  check_no_permission(true,
                      "mcp.json: is not writable: permission denied (check its permissions; it was "
                      "left as it was)");
}

TEST(StoreNoPermission, AFolderThatCannotBeWrittenLeavesTheFileAlone) {
  check_no_permission(false,
                      "mcp.json.bak: cannot write in its folder: permission denied (check the "
                      "folder's permissions)");
}

class ConcurrentWriters : public StoreTest {
 protected:
  static constexpr int kWriters = 20;
  static std::string name(int i) { return "s" + std::to_string(100 + i); }

  void SetUp() override {
    std::string text = "{\n  // twenty servers\n  \"mcpServers\": {\n";
    for (int i = 0; i < kWriters; ++i)
      text += "    \"" + name(i) + "\": {\"command\": \"x\"}" + (i + 1 < kWriters ? ",\n" : "\n");
    write_file(file(), text + "  }\n}\n");
  }
  void expect_all_disabled() {
    LoadedConfig loaded = load_valid_config(location());
    for (int i = 0; i < kWriters; ++i)
      EXPECT_TRUE(loaded.validation.config.find(name(i))->disabled) << name(i);
    EXPECT_NE(read_file(file()).find("// twenty servers"), std::string::npos);
    EXPECT_EQ(dir.names(), (Names{"mcp.json", "mcp.json.bak"}));  // no temporary files
  }
};

TEST_F(ConcurrentWriters, TwentyThreadsLoseNoChange) {
  std::barrier start(kWriters);
  std::vector<std::string> failures(kWriters);
  std::vector<std::thread> threads;
  for (int i = 0; i < kWriters; ++i)
    threads.emplace_back([&, i] {
      start.arrive_and_wait();
      try {
        if (!update_config(location(), disable(name(i))).changed) failures[i] = "unchanged";
      } catch (const std::exception& e) {
        failures[i] = e.what();
      }
    });
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(failures, std::vector<std::string>(kWriters));
  expect_all_disabled();
}

TEST_F(ConcurrentWriters, TwentyProcessesLoseNoChange) {
  int gate[2];
  ASSERT_EQ(::pipe(gate), 0);
  std::vector<pid_t> children;
  for (int i = 0; i < kWriters; ++i) {
    pid_t pid = ::fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
      ::close(gate[1]);
      char c;
      (void)!::read(gate[0], &c, 1);  // returns when the parent closes the gate: all at once
      try {
        ::_exit(update_config(location(), disable(name(i))).changed ? 0 : 2);
      } catch (const std::exception& e) {
        std::fprintf(stderr, "writer %d: %s\n", i, e.what());
        ::_exit(1);
      }
    }
    children.push_back(pid);
  }
  ::close(gate[0]);
  ::close(gate[1]);
  for (pid_t pid : children) {
    int status = 0;
    ASSERT_EQ(::waitpid(pid, &status, 0), pid);
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "status " << status;
  }
  expect_all_disabled();
}

TEST_F(StoreTest, AHeldLockMakesAWriterGiveUpWithAConflict) {
  write_file(file(), kValid);
  UniqueFd held(::open(dir.path().c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  ASSERT_EQ(::flock(held.get(), LOCK_EX), 0);
  auto started = std::chrono::steady_clock::now();
  try {
    update_config(location(), disable("fs"), std::chrono::milliseconds(150));
    FAIL() << "no exception";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::conflict);
    EXPECT_EQ(e.message(),
              "mcp.json: another cc-mcp has been changing it for more than 150 ms (wait for it to "
              "finish, then try again)");
  }
  EXPECT_GE(std::chrono::steady_clock::now() - started, std::chrono::milliseconds(150));
  EXPECT_EQ(read_file(file()), kValid);
  held.reset();
  EXPECT_TRUE(update_config(location(), disable("fs"), std::chrono::milliseconds(150)).changed);
}

}  // namespace
}  // namespace ccmcp::config
