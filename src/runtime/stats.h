// CPU and memory of a container from the engine's one-shot stats samples.
// A one-shot sample has no "precpu" part, so CPU % comes from two samples
// taken apart: the container's CPU time over the time between them, where
// 100 % is one whole core (as `docker stats` counts it).
#pragma once

#include <cstdint>
#include <optional>

#include <nlohmann/json.hpp>

namespace ccmcp::runtime {

struct CpuSample {
  uint64_t usage_ns = 0;     // cpu_stats.cpu_usage.total_usage
  uint64_t system_ns = 0;    // cpu_stats.system_cpu_usage (every core)
  uint32_t online_cpus = 0;  // cpu_stats.online_cpus
  int64_t read_ns = 0;       // "read": when the engine took it (ns since the epoch), 0 if unknown
};

// nullopt when the sample has no CPU figures (a stopped container).
std::optional<CpuSample> cpu_sample_of(const nlohmann::json& stats);

// CPU % between two samples of one container: by the engine's own clock
// ("read") when both have it, else as docker stats does (share of the
// system's CPU time times the cores). nullopt when no time passed.
std::optional<double> cpu_percent(const CpuSample& first, const CpuSample& second);

struct MemoryUse {
  uint64_t usage = 0;  // without the page cache that could be dropped (as docker stats)
  uint64_t limit = 0;
};

std::optional<MemoryUse> memory_of(const nlohmann::json& stats);

}  // namespace ccmcp::runtime
