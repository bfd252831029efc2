// Reading a server's audit file (written by its bridge, see
// runtime/audit_volume.h): the rotated files oldest first, entries since a
// time, the last N, a readable line per entry, and following it as it
// grows and rotates.
#pragma once

#include <atomic>
#include <chrono>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace ccmcp::runtime {

using AuditTime = std::chrono::system_clock::time_point;

struct AuditEntry {
  std::string raw;  // the line as the bridge wrote it
  nlohmann::json fields;
  std::optional<AuditTime> time;
};

struct AuditQuery {
  std::optional<AuditTime> since;  // entries at or after this
  size_t last = 0;                 // only the last N; 0: all
};

// PATH.N .. PATH.1, PATH: those that exist, oldest first.
std::vector<std::filesystem::path> audit_files_oldest_first(const std::filesystem::path& file);

// One line as an entry; nullopt for a line that is not a JSON object (a
// line torn by a full disk).
std::optional<AuditEntry> parse_audit_line(const std::string& line);

// The entries the query selects, oldest first.
std::vector<AuditEntry> read_audit(const std::filesystem::path& file, const AuditQuery& query);

// Hands every entry added to the file from now on (after what is in it) to
// `on_entry`, across rotations, until `stop` is set (checked a few times a
// second) or `on_entry` returns false.
void follow_audit(const std::filesystem::path& file,
                  const std::function<bool(const AuditEntry&)>& on_entry,
                  const std::atomic<bool>* stop);

// --since: a duration back from `now` ("10m", "2h", "1d") or an RFC 3339
// time ("2026-12-08T10:00:00Z", fractions and offsets allowed). Throws a
// usage Error naming --since otherwise.
AuditTime parse_audit_since(const std::string& text, AuditTime now);

// "2026-12-08 11:00:00.123  3f2a9c1d  tools/call  read_file  12 ms  27 B  ok": the
// time in the local zone, the session's first 8 characters.
std::string format_audit_entry(const AuditEntry& entry);

}  // namespace ccmcp::runtime
