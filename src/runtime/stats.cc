#include "runtime/stats.h"

#include "docker/containers.h"

namespace ccmcp::runtime {

using Json = nlohmann::json;

namespace {

uint64_t number_at(const Json& object, std::initializer_list<const char*> path) {
  const Json* at = &object;
  for (const char* key : path) {
    if (!at->is_object() || !at->contains(key)) return 0;
    at = &(*at)[key];
  }
  return at->is_number_unsigned() || at->is_number_integer() ? at->get<uint64_t>() : 0;
}

}  // namespace

std::optional<CpuSample> cpu_sample_of(const Json& stats) {
  if (!stats.is_object() || !stats.contains("cpu_stats")) return std::nullopt;
  CpuSample sample;
  sample.usage_ns = number_at(stats, {"cpu_stats", "cpu_usage", "total_usage"});
  sample.system_ns = number_at(stats, {"cpu_stats", "system_cpu_usage"});
  sample.online_cpus = static_cast<uint32_t>(number_at(stats, {"cpu_stats", "online_cpus"}));
  if (sample.online_cpus == 0 && stats["cpu_stats"].contains("cpu_usage") &&
      stats["cpu_stats"]["cpu_usage"].contains("percpu_usage") &&
      stats["cpu_stats"]["cpu_usage"]["percpu_usage"].is_array())
    sample.online_cpus =
        static_cast<uint32_t>(stats["cpu_stats"]["cpu_usage"]["percpu_usage"].size());
  if (sample.usage_ns == 0 && sample.system_ns == 0) return std::nullopt;
  if (stats.contains("read") && stats["read"].is_string())
    if (auto read = docker::parse_engine_time(stats["read"].get<std::string>()))
      sample.read_ns = read->time_since_epoch().count();
  return sample;
}

std::optional<double> cpu_percent(const CpuSample& first, const CpuSample& second) {
  if (second.usage_ns < first.usage_ns) return std::nullopt;  // a restart between them
  double used = static_cast<double>(second.usage_ns - first.usage_ns);
  if (first.read_ns > 0 && second.read_ns > first.read_ns)
    return used / static_cast<double>(second.read_ns - first.read_ns) * 100.0;
  if (second.system_ns > first.system_ns && second.online_cpus > 0)
    return used / static_cast<double>(second.system_ns - first.system_ns) * second.online_cpus *
           100.0;
  return std::nullopt;
}

std::optional<MemoryUse> memory_of(const Json& stats) {
  if (!stats.is_object() || !stats.contains("memory_stats") ||
      !stats["memory_stats"].contains("usage"))
    return std::nullopt;
  MemoryUse use;
  use.usage = number_at(stats, {"memory_stats", "usage"});
  use.limit = number_at(stats, {"memory_stats", "limit"});
  // cgroup v1 names it total_inactive_file, v2 inactive_file.
  uint64_t inactive = number_at(stats, {"memory_stats", "stats", "total_inactive_file"});
  if (inactive == 0) inactive = number_at(stats, {"memory_stats", "stats", "inactive_file"});
  if (inactive < use.usage) use.usage -= inactive;
  return use;
}

}  // namespace ccmcp::runtime
