#include "config/units.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace ccmcp::config {
namespace {

constexpr uint64_t KiB = 1ull << 10, MiB = 1ull << 20, GiB = 1ull << 30, TiB = 1ull << 40;

TEST(Units, ParseSizeGood) {
  const std::vector<std::pair<std::string, uint64_t>> good = {{"512m", 512 * MiB},
                                                              {"1g", GiB},
                                                              {"1G", GiB},
                                                              {"1.5g", 3 * GiB / 2},
                                                              {"2048k", 2 * MiB},
                                                              {"2048K", 2 * MiB},
                                                              {"1073741824", GiB},
                                                              {"512mb", 512 * MiB},
                                                              {"512MB", 512 * MiB},
                                                              {"1gb", GiB},
                                                              {"1024b", 1024},
                                                              {"0", 0},
                                                              {"7", 7},
                                                              {"1t", TiB},
                                                              {"0.5k", 512},
                                                              {"6m", 6 * MiB},
                                                              {"00128m", 128 * MiB}};
  for (const auto& [text, bytes] : good) {
    auto parsed = parse_size(text);
    ASSERT_TRUE(parsed.has_value()) << text;
    EXPECT_EQ(*parsed, bytes) << text;
  }
}

TEST(Units, ParseSizeBad) {
  for (const char* text : {"",
                           "512x",
                           "m",
                           "mb",
                           "b",
                           "kb",
                           "-1m",
                           "+1m",
                           "1.5.5m",
                           ".5g",
                           "5.g",
                           "1 g",
                           " 1g",
                           "1g ",
                           "1e3",
                           "1kk",
                           "1mm",
                           "1gbb",
                           "0x10",
                           "1,5g",
                           "one",
                           "1p",
                           "99999999999999999999",
                           "16777216t",
                           "1bm"}) {
    EXPECT_FALSE(parse_size(text).has_value()) << '"' << text << '"';
  }
}

TEST(Units, FormatSize) {
  EXPECT_EQ(format_size(512 * MiB), "512m");
  EXPECT_EQ(format_size(GiB), "1g");
  EXPECT_EQ(format_size(1536 * MiB), "1536m");
  EXPECT_EQ(format_size(2 * TiB), "2t");
  EXPECT_EQ(format_size(4 * KiB), "4k");
  EXPECT_EQ(format_size(1536), "1536");  // 1.5k is not a whole number of kibibytes
  EXPECT_EQ(format_size(1023), "1023");
  EXPECT_EQ(format_size(0), "0");
  for (uint64_t bytes : {uint64_t{0}, uint64_t{1}, 6 * MiB, 3 * GiB / 2, 5 * TiB, 1000 * KiB + 1})
    EXPECT_EQ(parse_size(format_size(bytes)), bytes) << bytes;
}

TEST(Units, ParseCpus) {
  const std::vector<std::pair<std::string, double>> good = {
      {"0.5", 0.5}, {"2", 2}, {"1.25", 1.25}, {"0.001", 0.001}, {"16", 16}, {"02", 2}};
  for (const auto& [text, cpus] : good) {
    auto parsed = parse_cpus(text);
    ASSERT_TRUE(parsed.has_value()) << text;
    EXPECT_DOUBLE_EQ(*parsed, cpus) << text;
  }
  for (const char* text : {"0", "0.0", "0.000", "-1", "-0.5", "+1", "", "abc", "1e2", ".5", "5.",
                           "1,5", " 1", "1 ", "inf", "nan", "1.2.3", "0x1"})
    EXPECT_FALSE(parse_cpus(text).has_value()) << '"' << text << '"';
}

TEST(Units, ParseDuration) {
  using std::chrono::seconds;
  const std::vector<std::pair<std::string, int64_t>> good = {
      {"30m", 1800},     {"24h", 86400},    {"7d", 604800},           {"1w", 604800},
      {"45s", 45},       {"90m", 5400},     {"1h30m", 5400},          {"0s", 0},
      {"1d12h", 129600}, {"2w1d", 1296000}, {"999999999s", 999999999}};
  for (const auto& [text, count] : good) {
    auto parsed = parse_duration(text);
    ASSERT_TRUE(parsed.has_value()) << text;
    EXPECT_EQ(parsed->count(), count) << text;
  }
  for (const char* text : {"", "30", "m", "30x", "1.5h", "30M", "24H", "-1h", "+1h", "h30", "30m ",
                           " 30m", "30 m", "1h-", "1h30", "1234567890s", "1y", "P1D"})
    EXPECT_FALSE(parse_duration(text).has_value()) << '"' << text << '"';
}

TEST(Units, FormatDuration) {
  using std::chrono::seconds;
  EXPECT_EQ(format_duration(seconds(1800)), "30m");
  EXPECT_EQ(format_duration(seconds(86400)), "1d");
  EXPECT_EQ(format_duration(seconds(5400)), "1h30m");
  EXPECT_EQ(format_duration(seconds(604800)), "1w");
  EXPECT_EQ(format_duration(seconds(90061)), "1d1h1m1s");
  EXPECT_EQ(format_duration(seconds(59)), "59s");
  EXPECT_EQ(format_duration(seconds(0)), "0s");
  for (int64_t s : {1, 60, 3599, 86401, 1296000, 999999999})
    EXPECT_EQ(parse_duration(format_duration(seconds(s))), seconds(s)) << s;
}

TEST(Units, ServerNames) {
  for (const std::string& name :
       std::vector<std::string>{"filesystem", "a", "0", "9lives", "my-server", "my_server", "fs.v2",
                                "a..b", "x-", std::string(63, 'a'), "0" + std::string(62, '-')})
    EXPECT_TRUE(is_valid_server_name(name)) << name;
  for (const std::string& name : std::vector<std::string>{
           "", std::string(64, 'a'), "Filesystem", "fileSystem", "UPPER", "-fs", ".fs", "_fs", "..",
           "my server", "fs/x", "fs:1", "é", "caf\xC3\xA9", "fs\n", "a@b"})
    EXPECT_FALSE(is_valid_server_name(name)) << name;
  // An embedded NUL is not the end of the name.
  EXPECT_FALSE(is_valid_server_name(std::string_view("fs\0x", 4)));
}

TEST(Units, EnvNames) {
  for (const char* name : {"PATH", "_X", "_", "a1", "MCP_MODE", "x", "lower_case", "A1B2"})
    EXPECT_TRUE(is_valid_env_name(name)) << name;
  for (const char* name : {"", "1A", "A-B", "A B", "A=B", "A.B", "\xC3\xA9", "$A", "A\n"})
    EXPECT_FALSE(is_valid_env_name(name)) << name;
}

TEST(Units, ImageReferences) {
  const std::string digest = "@sha256:" + std::string(64, 'a');
  for (const std::string& ref : std::vector<std::string>{
           "cc-mcp/filesystem:latest", "node:20-alpine", "alpine", "ghcr.io/owner/repo:v1.2.3",
           "localhost:5000/my/image", "registry.example.com:443/a/b:tag", "a__b", "a--b", "a.b",
           "python:3.12-alpine", "foo" + digest, "foo:tag" + digest, "a:" + std::string(128, 't'),
           std::string(255, 'a')})
    EXPECT_TRUE(is_valid_image_reference(ref)) << ref;
  for (const std::string& ref : std::vector<std::string>{"",
                                                         "Foo",
                                                         "cc-mcp/Filesystem",
                                                         "node:",
                                                         ":tag",
                                                         "a b",
                                                         "foo:-tag",
                                                         "/foo",
                                                         "foo/",
                                                         "foo//bar",
                                                         "-foo",
                                                         "foo-",
                                                         "foo_",
                                                         "a___b",
                                                         "foo@sha256:abc",
                                                         "foo@" + std::string(64, 'a'),
                                                         "a:" + std::string(129, 't'),
                                                         std::string(256, 'a'),
                                                         "foo:tag:tag",
                                                         "foo\n"})
    EXPECT_FALSE(is_valid_image_reference(ref)) << ref;
}

TEST(Units, NpmPackages) {
  for (const std::string& name : std::vector<std::string>{
           "@modelcontextprotocol/server-filesystem", "express", "lodash.merge", "a", "@a/b",
           "server-github", "my_pkg", "0pkg", "pkg~1", std::string(214, 'a')})
    EXPECT_TRUE(is_valid_npm_package(name)) << name;
  for (const std::string& name : std::vector<std::string>{
           "", "Express", "@Scope/x", "@scope/", "@/x", "@scope", ".hidden", "_private", "a b",
           "a/b", "@a/b/c", "-pkg", "pkg!", std::string(215, 'a'), "\xC3\xA9t\xC3\xA9"})
    EXPECT_FALSE(is_valid_npm_package(name)) << name;
}

}  // namespace
}  // namespace ccmcp::config
