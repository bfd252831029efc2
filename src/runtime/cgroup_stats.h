// CPU and memory of a container read straight from its cgroup, when the
// engine runs on this host. The engine's own stats come from a collector
// that samples every container once a second, so even a one-shot request
// waits up to a second for its tick, and CPU % needs two ticks; the cgroup
// files answer at once. The container's cgroup is found through its main
// process (/proc/PID/cgroup), and only used when that path names the
// container's id, so a remote engine (DOCKER_HOST=tcp://...), another pid
// namespace or a reused pid falls back to the engine's stats.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

#include "runtime/stats.h"

namespace ccmcp::runtime {

class CgroupStats {
 public:
  // nullopt when the container's cgroup cannot be read from here.
  static std::optional<CgroupStats> find(
      int pid, const std::string& container_id, const std::filesystem::path& proc = "/proc",
      const std::filesystem::path& cgroup_root = "/sys/fs/cgroup");

  // CPU time used so far, stamped with the time it was read.
  std::optional<CpuSample> cpu() const;
  // Usage without the inactive page cache, and the limit (0 for none).
  std::optional<MemoryUse> memory() const;

  bool unified() const { return v2_; }

 private:
  bool v2_ = false;
  std::filesystem::path cpu_dir_;     // v1: the cpuacct folder; v2: the group
  std::filesystem::path memory_dir_;  // v1: the memory folder; v2: the group
};

}  // namespace ccmcp::runtime
