#include "runtime/audit_reader.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <ctime>
#include <deque>
#include <fstream>
#include <thread>

#include "config/units.h"
#include "docker/containers.h"
#include "util/error.h"
#include "util/unique_fd.h"

namespace ccmcp::runtime {

namespace fs = std::filesystem;
using Json = nlohmann::json;

namespace {

// More than the bridge ever keeps (--audit-keep is at most 100).
constexpr int kMaxRotated = 100;

bool selected(const AuditEntry& entry, const AuditQuery& query) {
  if (!query.since) return true;
  return entry.time && *entry.time >= *query.since;
}

std::string local_time_text(AuditTime time) {
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(time.time_since_epoch()).count();
  std::time_t seconds = static_cast<std::time_t>(ms / 1000);
  std::tm local{};
  ::localtime_r(&seconds, &local);
  char text[40];
  std::strftime(text, sizeof text, "%Y-%m-%d %H:%M:%S", &local);
  char millis[16];
  std::snprintf(millis, sizeof millis, ".%03d", static_cast<int>(ms % 1000));
  return std::string(text) + millis;
}

// Reads what was appended to an open file since the last call, and hands
// out its complete lines.
class Tail {
 public:
  explicit Tail(UniqueFd fd) : fd_(std::move(fd)) {}
  bool drain(const std::function<bool(const AuditEntry&)>& on_entry) {
    char buffer[65536];
    ssize_t n;
    while ((n = ::read(fd_.get(), buffer, sizeof buffer)) > 0) {
      pending_.append(buffer, static_cast<size_t>(n));
      size_t start = 0, end;
      while ((end = pending_.find('\n', start)) != std::string::npos) {
        auto entry = parse_audit_line(pending_.substr(start, end - start));
        start = end + 1;
        if (entry && !on_entry(*entry)) return false;
      }
      pending_.erase(0, start);
    }
    return true;
  }
  ino_t inode() const {
    struct stat st {};
    return ::fstat(fd_.get(), &st) == 0 ? st.st_ino : 0;
  }

 private:
  UniqueFd fd_;
  std::string pending_;
};

std::optional<ino_t> inode_of(const fs::path& file) {
  struct stat st {};
  if (::stat(file.c_str(), &st) != 0) return std::nullopt;
  return st.st_ino;
}

}  // namespace

std::vector<fs::path> audit_files_oldest_first(const fs::path& file) {
  std::vector<fs::path> out;
  std::error_code ec;
  for (int i = kMaxRotated; i >= 1; --i) {
    fs::path rotated = file.string() + "." + std::to_string(i);
    if (fs::is_regular_file(rotated, ec)) out.push_back(rotated);
  }
  if (fs::is_regular_file(file, ec)) out.push_back(file);
  return out;
}

std::optional<AuditEntry> parse_audit_line(const std::string& line) {
  Json fields = Json::parse(line, nullptr, false);
  if (fields.is_discarded() || !fields.is_object()) return std::nullopt;
  AuditEntry entry{line, fields, std::nullopt};
  if (auto time = fields.find("time"); time != fields.end() && time->is_string())
    if (auto parsed = docker::parse_engine_time(time->get<std::string>()))
      entry.time = std::chrono::time_point_cast<AuditTime::duration>(*parsed);
  return entry;
}

std::vector<AuditEntry> read_audit(const fs::path& file, const AuditQuery& query) {
  std::deque<AuditEntry> out;
  for (const auto& path : audit_files_oldest_first(file)) {
    std::ifstream in(path);
    for (std::string line; std::getline(in, line);) {
      auto entry = parse_audit_line(line);
      if (!entry || !selected(*entry, query)) continue;
      out.push_back(std::move(*entry));
      if (query.last && out.size() > query.last) out.pop_front();
    }
  }
  return {std::make_move_iterator(out.begin()), std::make_move_iterator(out.end())};
}

void follow_audit(const fs::path& file, const std::function<bool(const AuditEntry&)>& on_entry,
                  const std::atomic<bool>* stop) {
  std::optional<Tail> tail;
  auto open_at = [&](bool at_end) {
    UniqueFd fd(::open(file.c_str(), O_RDONLY | O_CLOEXEC));
    if (!fd) return;
    if (at_end) ::lseek(fd.get(), 0, SEEK_END);
    tail.emplace(std::move(fd));
  };
  open_at(true);
  while (!(stop && *stop)) {
    if (tail && !tail->drain(on_entry)) return;
    // Rotated (or made for the first time): what the old file got after
    // our last read was drained above; the new one is read from its start.
    auto now = inode_of(file);
    if (now && (!tail || *now != tail->inode())) {
      if (tail && !tail->drain(on_entry)) return;
      open_at(false);
      continue;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
}

AuditTime parse_audit_since(const std::string& text, AuditTime now) {
  if (auto duration = config::parse_duration(text)) return now - *duration;
  if (auto time = docker::parse_engine_time(text))
    return std::chrono::time_point_cast<AuditTime::duration>(*time);
  throw Error(ErrorKind::usage, "--since", quote(text) + " is not a duration or a time",
              "use a duration like 10m or 2h, or an RFC 3339 time like 2026-12-08T10:00:00Z");
}

std::string format_audit_entry(const AuditEntry& entry) {
  const Json& f = entry.fields;
  auto text = [&](const char* key) {
    auto it = f.find(key);
    return it != f.end() && it->is_string() ? it->get<std::string>() : std::string("-");
  };
  auto number = [&](const char* key) -> std::string {
    auto it = f.find(key);
    return it != f.end() && it->is_number() ? std::to_string(it->get<int64_t>()) : "?";
  };
  std::string time = entry.time ? local_time_text(*entry.time) : text("time");
  std::string session = text("session").substr(0, 8);
  std::string name = text("name").empty() ? "-" : text("name");
  std::string status = text("status");
  if (auto error = f.find("error"); error != f.end() && error->is_object()) {
    if (error->contains("code") && (*error)["code"].is_number())
      status += " " + std::to_string((*error)["code"].get<int64_t>());
    if (error->contains("message") && (*error)["message"].is_string())
      status += ": " + (*error)["message"].get<std::string>();
  }
  return time + "  " + session + "  " + text("method") + "  " + name + "  " + number("durationMs") +
         " ms  " + number("argsBytes") + " B  " + status;
}

}  // namespace ccmcp::runtime
