#include "runtime/log_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <ctime>
#include <deque>
#include <thread>

#include "util/error.h"
#include "util/fs.h"
#include "util/process.h"

namespace ccmcp::runtime {

std::string format_timestamp(SystemTime time) {
  using namespace std::chrono;
  auto ms = duration_cast<milliseconds>(time.time_since_epoch()).count();
  std::time_t seconds = static_cast<std::time_t>(ms / 1000);
  std::tm utc{};
  ::gmtime_r(&seconds, &utc);
  char text[96];
  std::snprintf(text, sizeof text, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", utc.tm_year + 1900,
                utc.tm_mon + 1, utc.tm_mday, utc.tm_hour, utc.tm_min, utc.tm_sec,
                static_cast<int>(ms % 1000));
  return text;
}

std::optional<SystemTime> parse_timestamp(std::string_view text) {
  // Exactly the form format_timestamp writes: 24 characters.
  if (text.size() != 24 || text[4] != '-' || text[7] != '-' || text[10] != 'T' || text[13] != ':' ||
      text[16] != ':' || text[19] != '.' || text[23] != 'Z')
    return std::nullopt;
  auto number = [&](size_t at, size_t length, int& out) {
    out = 0;
    for (size_t i = at; i < at + length; ++i) {
      if (text[i] < '0' || text[i] > '9') return false;
      out = out * 10 + (text[i] - '0');
    }
    return true;
  };
  int year, month, day, hour, minute, second, millis;
  if (!number(0, 4, year) || !number(5, 2, month) || !number(8, 2, day) || !number(11, 2, hour) ||
      !number(14, 2, minute) || !number(17, 2, second) || !number(20, 3, millis))
    return std::nullopt;
  std::tm utc{};
  utc.tm_year = year - 1900;
  utc.tm_mon = month - 1;
  utc.tm_mday = day;
  utc.tm_hour = hour;
  utc.tm_min = minute;
  utc.tm_sec = second;
  std::time_t seconds = ::timegm(&utc);
  return std::chrono::system_clock::from_time_t(seconds) + std::chrono::milliseconds(millis);
}

std::string LogLine::format(bool with_time) const {
  if (with_time && time) return format_timestamp(*time) + " " + text;
  return text;
}

LogLine parse_log_line(std::string_view line) {
  if (line.size() > 25 && line[24] == ' ')
    if (auto time = parse_timestamp(line.substr(0, 24)))
      return {time, std::string(line.substr(25))};
  return {std::nullopt, std::string(line)};
}

LogWriter::LogWriter(std::filesystem::path path, uint64_t max_bytes)
    : path_(std::move(path)), max_bytes_(max_bytes) {
  open();
}

void LogWriter::open() {
  fd_.reset(::open(path_.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600));
  if (!fd_) throw Error(ErrorKind::io, path_.string(), "cannot open: " + system_problem(errno));
  struct stat st {};
  size_ = ::fstat(fd_.get(), &st) == 0 ? static_cast<uint64_t>(st.st_size) : 0;
}

void LogWriter::rotate_if_full() {
  if (size_ < max_bytes_) return;
  std::error_code ec;
  std::filesystem::rename(path_, path_.string() + ".1", ec);
  open();
}

void LogWriter::line(std::string_view text) {
  std::string stamp = format_timestamp(std::chrono::system_clock::now());
  std::string out;
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view piece = text.substr(start, end - start);
    if (!piece.empty() && piece.back() == '\r') piece.remove_suffix(1);
    out += stamp + " ";
    out += piece;
    out += '\n';
    start = end + 1;
    if (end == text.size()) break;
  }
  rotate_if_full();
  if (write_all(fd_.get(), out)) size_ += out.size();
}

namespace {

// The whole lines of `text` that `query` selects (its tail applied last).
std::vector<LogLine> select_lines(std::string_view text, const LogQuery& query) {
  std::deque<LogLine> lines;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string_view::npos) break;  // a line still being written
    LogLine line = parse_log_line(text.substr(start, end - start));
    start = end + 1;
    if (query.since && (!line.time || *line.time < *query.since)) continue;
    lines.push_back(std::move(line));
    if (query.tail && lines.size() > query.tail) lines.pop_front();
  }
  return {lines.begin(), lines.end()};
}

std::string read_from(const std::filesystem::path& path, uint64_t offset, uint64_t& size,
                      ino_t& inode) {
  UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd) return {};
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0) return {};
  inode = st.st_ino;
  size = static_cast<uint64_t>(st.st_size);
  if (offset >= size) return {};
  std::string text(size - offset, '\0');
  ssize_t n = ::pread(fd.get(), text.data(), text.size(), static_cast<off_t>(offset));
  text.resize(n > 0 ? static_cast<size_t>(n) : 0);
  return text;
}

}  // namespace

std::vector<LogLine> read_log(const std::filesystem::path& path, const LogQuery& query) {
  uint64_t size = 0;
  ino_t inode = 0;
  return select_lines(read_from(path, 0, size, inode), query);
}

void follow_log(const std::filesystem::path& path, const LogQuery& query,
                const std::function<bool(const LogLine&)>& on_line, const std::atomic<bool>* stop) {
  uint64_t size = 0;
  ino_t inode = 0;
  std::string text = read_from(path, 0, size, inode);
  size_t complete = text.rfind('\n');
  complete = complete == std::string::npos ? 0 : complete + 1;
  for (const auto& line : select_lines(std::string_view(text).substr(0, complete), query))
    if (!on_line(line)) return;
  uint64_t offset = complete;
  std::string partial;
  LogQuery later;  // lines after the first read: all of them, since applies
  later.since = query.since;
  while (!(stop && stop->load())) {
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    uint64_t now_size = 0;
    ino_t now_inode = 0;
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) continue;  // between a rotation's rename and create
    if (st.st_ino != inode || static_cast<uint64_t>(st.st_size) < offset) {
      offset = 0;  // rotated or truncated: the new file from its start
      partial.clear();
    }
    std::string more = read_from(path, offset, now_size, now_inode);
    inode = now_inode;
    if (more.empty()) continue;
    offset += more.size();
    partial += more;
    size_t end = partial.rfind('\n');
    if (end == std::string::npos) continue;
    for (const auto& line : select_lines(std::string_view(partial).substr(0, end + 1), later))
      if (!on_line(line)) return;
    partial.erase(0, end + 1);
  }
}

}  // namespace ccmcp::runtime
