#include "runtime/cgroup_stats.h"

#include <chrono>
#include <fstream>
#include <sstream>

namespace ccmcp::runtime {

namespace fs = std::filesystem;

namespace {

std::optional<std::string> read_small(const fs::path& file) {
  std::ifstream in(file);
  if (!in) return std::nullopt;
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

std::optional<uint64_t> read_number(const fs::path& file) {
  auto text = read_small(file);
  if (!text) return std::nullopt;
  try {
    size_t used = 0;
    uint64_t value = std::stoull(*text, &used);
    return value;
  } catch (const std::exception&) {
    return std::nullopt;  // "max" and the like
  }
}

// "key value" lines (memory.stat, cpu.stat): the value of `key`.
std::optional<uint64_t> stat_value(const fs::path& file, const std::string& key) {
  std::ifstream in(file);
  std::string name;
  uint64_t value = 0;
  while (in >> name >> value)
    if (name == key) return value;
  return std::nullopt;
}

bool has_controller(const std::string& list, const std::string& controller) {
  std::stringstream parts(list);
  std::string part;
  while (std::getline(parts, part, ','))
    if (part == controller) return true;
  return false;
}

// "/docker/ID" under the root: a relative path, so that / cannot win.
fs::path under(const fs::path& root, const std::string& path) {
  return root / fs::path(path).relative_path();
}

}  // namespace

std::optional<CgroupStats> CgroupStats::find(int pid, const std::string& container_id,
                                             const fs::path& proc, const fs::path& cgroup_root) {
  if (pid <= 0 || container_id.size() < 12) return std::nullopt;
  std::ifstream in(proc / std::to_string(pid) / "cgroup");
  if (!in) return std::nullopt;
  std::string cpu_path, memory_path, unified_path;
  for (std::string line; std::getline(in, line);) {
    auto first = line.find(':');
    auto second = line.find(':', first + 1);
    if (first == std::string::npos || second == std::string::npos) continue;
    std::string controllers = line.substr(first + 1, second - first - 1);
    std::string path = line.substr(second + 1);
    if (path.find(container_id) == std::string::npos) continue;  // not that container's
    if (controllers.empty())
      unified_path = path;
    else if (has_controller(controllers, "cpuacct"))
      cpu_path = path;
    else if (has_controller(controllers, "memory"))
      memory_path = path;
  }
  CgroupStats stats;
  if (!cpu_path.empty() && !memory_path.empty()) {
    stats.cpu_dir_ = under(cgroup_root / "cpuacct", cpu_path);
    stats.memory_dir_ = under(cgroup_root / "memory", memory_path);
    if (!fs::exists(stats.cpu_dir_ / "cpuacct.usage") ||
        !fs::exists(stats.memory_dir_ / "memory.usage_in_bytes"))
      return std::nullopt;
    return stats;
  }
  if (!unified_path.empty()) {
    stats.v2_ = true;
    stats.cpu_dir_ = stats.memory_dir_ = under(cgroup_root, unified_path);
    if (!fs::exists(stats.cpu_dir_ / "cpu.stat") ||
        !fs::exists(stats.memory_dir_ / "memory.current"))
      return std::nullopt;
    return stats;
  }
  return std::nullopt;
}

std::optional<CpuSample> CgroupStats::cpu() const {
  std::optional<uint64_t> used;
  if (v2_) {
    if (auto usec = stat_value(cpu_dir_ / "cpu.stat", "usage_usec")) used = *usec * 1000;
  } else {
    used = read_number(cpu_dir_ / "cpuacct.usage");
  }
  if (!used) return std::nullopt;
  CpuSample sample;
  sample.usage_ns = *used;
  sample.read_ns = std::chrono::duration_cast<std::chrono::nanoseconds>(
                       std::chrono::system_clock::now().time_since_epoch())
                       .count();
  return sample;
}

std::optional<MemoryUse> CgroupStats::memory() const {
  auto usage = read_number(memory_dir_ / (v2_ ? "memory.current" : "memory.usage_in_bytes"));
  if (!usage) return std::nullopt;
  MemoryUse use;
  use.usage = *usage;
  auto inactive =
      stat_value(memory_dir_ / "memory.stat", v2_ ? "inactive_file" : "total_inactive_file");
  if (inactive && *inactive < use.usage) use.usage -= *inactive;
  // v1 writes a huge number for "no limit", v2 "max".
  auto limit = read_number(memory_dir_ / (v2_ ? "memory.max" : "memory.limit_in_bytes"));
  use.limit = limit && *limit < (1ull << 62) ? *limit : 0;
  return use;
}

}  // namespace ccmcp::runtime
