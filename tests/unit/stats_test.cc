#include "runtime/stats.h"

#include <gtest/gtest.h>

#include "runtime/cgroup_stats.h"
#include "test_util.h"

namespace ccmcp::runtime {
namespace {

using ccmcp::testing::TempDir;
using ccmcp::testing::write_file;
using Json = nlohmann::json;

Json engine_sample(const char* read, uint64_t usage, uint64_t system, int cpus) {
  return Json::parse(R"({"read": ")" + std::string(read) + R"(",
    "cpu_stats": {"cpu_usage": {"total_usage": )" +
                     std::to_string(usage) + R"(},
                  "system_cpu_usage": )" +
                     std::to_string(system) + R"(,
                  "online_cpus": )" +
                     std::to_string(cpus) + R"(},
    "memory_stats": {"usage": 10485760, "limit": 536870912,
                     "stats": {"total_inactive_file": 2097152}}})");
}

TEST(CpuPercent, FromTheEnginesClockBetweenTwoOneShotSamples) {
  auto first = cpu_sample_of(engine_sample("2026-01-01T00:00:00.000000000Z", 1000000000, 0, 2));
  auto second = cpu_sample_of(engine_sample("2026-01-01T00:00:00.500000000Z", 1250000000, 0, 2));
  ASSERT_TRUE(first && second);
  // 250 ms of CPU in 500 ms: half a core.
  EXPECT_DOUBLE_EQ(*cpu_percent(*first, *second), 50.0);
}

TEST(CpuPercent, AsDockerStatsWithoutTimes) {
  CpuSample first{1000, 10000, 2, 0}, second{1000 + 500, 10000 + 2000, 2, 0};
  // 500 of the system's 2000 ns over two cores: (500 / 2000) * 2 * 100.
  EXPECT_DOUBLE_EQ(*cpu_percent(first, second), 50.0);
  // Two busy cores of two: 200 %.
  EXPECT_DOUBLE_EQ(*cpu_percent({0, 0, 2, 0}, {2000, 2000, 2, 0}), 200.0);
}

TEST(CpuPercent, NothingWhenItCannotBeKnown) {
  EXPECT_FALSE(cpu_percent({100, 100, 2, 5}, {100, 100, 2, 5}));  // no time passed
  EXPECT_FALSE(cpu_percent({500, 0, 2, 1}, {100, 0, 2, 2}));      // restarted between them
  EXPECT_FALSE(cpu_sample_of(Json::parse(R"({"read": "0001-01-01T00:00:00Z"})")));
  EXPECT_FALSE(cpu_sample_of(
      Json::parse(R"({"cpu_stats": {"cpu_usage": {"total_usage": 0}, "throttling_data": {}}})")));
}

TEST(CpuPercent, CountsCoresFromPerCpuUsageWhenOnlineIsMissing) {
  auto sample = cpu_sample_of(Json::parse(
      R"({"cpu_stats": {"cpu_usage": {"total_usage": 5, "percpu_usage": [2, 3, 0, 0]},
                        "system_cpu_usage": 100}})"));
  ASSERT_TRUE(sample);
  EXPECT_EQ(sample->online_cpus, 4u);
}

TEST(Memory, WithoutTheInactivePageCache) {
  auto use = memory_of(engine_sample("2026-01-01T00:00:00Z", 1, 1, 1));
  ASSERT_TRUE(use);
  EXPECT_EQ(use->usage, 8u << 20);
  EXPECT_EQ(use->limit, 512u << 20);
  // cgroup v2 names it inactive_file.
  auto v2 = memory_of(Json::parse(
      R"({"memory_stats": {"usage": 3000, "limit": 9000, "stats": {"inactive_file": 1000}}})"));
  EXPECT_EQ(v2->usage, 2000u);
  EXPECT_FALSE(memory_of(Json::parse(R"({"memory_stats": {}})")));
}

// A fake /proc and /sys/fs/cgroup.
class Cgroups : public ::testing::Test {
 protected:
  const std::string id = "21a4b1bf47b82a08ff24bc5e678f432e9739b56de518ac3860ea15e86fc7e0f5";
  TempDir dir;
  std::filesystem::path proc = dir / "proc", root = dir / "cgroup";

  void process(int pid, const std::string& cgroup_text) {
    std::filesystem::create_directories(proc / std::to_string(pid));
    write_file(proc / std::to_string(pid) / "cgroup", cgroup_text);
  }
  void file(const std::filesystem::path& path, const std::string& text) {
    std::filesystem::create_directories(path.parent_path());
    write_file(path, text);
  }
};

TEST_F(Cgroups, ReadsVersionOne) {
  process(42,
          "4:memory:/docker/" + id + "\n2:cpu,cpuacct:/docker/" + id + "\n0::/docker/" + id + "\n");
  file(root / "cpuacct/docker" / id / "cpuacct.usage", "75627222\n");
  file(root / "memory/docker" / id / "memory.usage_in_bytes", "778240\n");
  file(root / "memory/docker" / id / "memory.limit_in_bytes", "536870912\n");
  file(root / "memory/docker" / id / "memory.stat", "cache 0\ntotal_inactive_file 8192\n");
  auto stats = CgroupStats::find(42, id, proc, root);
  ASSERT_TRUE(stats);
  EXPECT_FALSE(stats->unified());
  EXPECT_EQ(stats->cpu()->usage_ns, 75627222u);
  EXPECT_GT(stats->cpu()->read_ns, 0);
  EXPECT_EQ(stats->memory()->usage, 778240u - 8192u);
  EXPECT_EQ(stats->memory()->limit, 536870912u);
}

TEST_F(Cgroups, ReadsVersionTwo) {
  std::string group = "system.slice/docker-" + id + ".scope";
  process(43, "0::/" + group + "\n");
  file(root / group / "cpu.stat", "usage_usec 1500\nuser_usec 1000\n");
  file(root / group / "memory.current", "4096000\n");
  file(root / group / "memory.max", "max\n");
  file(root / group / "memory.stat", "anon 1\ninactive_file 96000\n");
  auto stats = CgroupStats::find(43, id, proc, root);
  ASSERT_TRUE(stats);
  EXPECT_TRUE(stats->unified());
  EXPECT_EQ(stats->cpu()->usage_ns, 1500000u);
  EXPECT_EQ(stats->memory()->usage, 4000000u);
  EXPECT_EQ(stats->memory()->limit, 0u);  // none
}

TEST_F(Cgroups, RefusesAnotherContainersOrAMissingGroup) {
  process(44, "2:cpu,cpuacct:/docker/someoneelse\n4:memory:/docker/someoneelse\n");
  EXPECT_FALSE(CgroupStats::find(44, id, proc, root));  // a reused pid
  EXPECT_FALSE(CgroupStats::find(45, id, proc, root));  // no such process here
  process(46, "2:cpu,cpuacct:/docker/" + id + "\n4:memory:/docker/" + id + "\n");
  EXPECT_FALSE(CgroupStats::find(46, id, proc, root));  // no files (another host's)
  EXPECT_FALSE(CgroupStats::find(0, id, proc, root));   // not running
}

}  // namespace
}  // namespace ccmcp::runtime
