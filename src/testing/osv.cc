#include "testing/osv.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <cerrno>
#include <cmath>
#include <map>
#include <system_error>
#include <thread>
#include <utility>

#include <nlohmann/json.hpp>

#include "util/error.h"
#include "util/fs.h"
#include "util/unique_fd.h"

namespace ccmcp::tester {
namespace {

using json = nlohmann::json;
using Event = OsvDatabase::Event;
using Affected = OsvDatabase::Affected;

// An advisory file of the real export is a few KB; one far larger is not
// an advisory, and reading it whole would cost memory for nothing.
constexpr off_t kMaxFileBytes = 4 << 20;

std::string index_key(std::string_view ecosystem, std::string_view name) {
  std::string key;
  key.reserve(ecosystem.size() + 1 + name.size());
  key.append(ecosystem).push_back('\0');
  key.append(name);
  return key;
}

// The whole file into `out`; false with `problem` set when it cannot be read.
bool read_whole(const std::filesystem::path& path, std::string& out, std::string& problem) {
  UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK));
  struct stat info {};
  if (!fd || ::fstat(fd.get(), &info) != 0) {
    problem = "cannot be read: " + system_problem(errno);
    return false;
  }
  if (info.st_size > kMaxFileBytes) {
    problem = "is larger than 4 MiB, not an advisory";
    return false;
  }
  out.resize(static_cast<size_t>(info.st_size));
  size_t done = 0;
  while (done < out.size()) {
    ssize_t n = ::read(fd.get(), out.data() + done, out.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      problem = "cannot be read: " + system_problem(errno);
      return false;
    }
    if (n == 0) break;  // it shrank meanwhile: parse what is there
    done += static_cast<size_t>(n);
  }
  out.resize(done);
  return true;
}

// What loading needs of a record; the rest (references, details, credits,
// the nested ecosystem/database specifics) is dropped while parsing, which
// saves most of the allocations.
bool keep_while_parsing(int depth, json::parse_event_t event, json& parsed) {
  if (event != json::parse_event_t::key) return true;
  const auto& key = parsed.get_ref<const std::string&>();
  if (depth == 1)
    return key != "references" && key != "details" && key != "credits" && key != "related";
  return key != "ecosystem_specific" && key != "database_specific";
}

std::string string_at(const json& object, const char* key) {
  auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

std::string severity_of(const json& record) {
  if (auto specific = record.find("database_specific");
      specific != record.end() && specific->is_object()) {
    std::string rating = string_at(*specific, "severity");
    std::transform(rating.begin(), rating.end(), rating.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (rating == "medium") rating = "moderate";  // other databases' word for it
    if (rating == "critical" || rating == "high" || rating == "moderate" || rating == "low")
      return rating;
  }
  if (auto scores = record.find("severity"); scores != record.end() && scores->is_array()) {
    for (const auto& entry : *scores) {
      if (!entry.is_object() || string_at(entry, "type") != "CVSS_V3") continue;
      if (auto score = cvss3_base_score(string_at(entry, "score")))
        return severity_of_score(*score);
    }
  }
  return "unknown";
}

// Sorts the events by version as the schema's evaluation asks: "0" first,
// "*" last, ties in the order written.
void sort_events(std::vector<Event>& events) {
  auto rank = [](const Event& event) {
    if (event.version) return 1;
    return event.kind == Event::Kind::introduced ? 0 : 2;
  };
  std::stable_sort(events.begin(), events.end(), [&](const Event& a, const Event& b) {
    if (rank(a) != rank(b)) return rank(a) < rank(b);
    return rank(a) == 1 && compare(*a.version, *b.version) < 0;
  });
}

// One range's events, or nullopt (with `problem` set) when a version cannot
// be read: an unreadable bound must not silently widen or narrow the range.
std::optional<std::vector<Event>> read_events(const json& range, std::string& problem) {
  auto events = range.find("events");
  if (events == range.end() || !events->is_array()) {
    problem = "a range has no events";
    return std::nullopt;
  }
  static const std::pair<const char*, Event::Kind> kKinds[] = {
      {"introduced", Event::Kind::introduced},
      {"fixed", Event::Kind::fixed},
      {"last_affected", Event::Kind::last_affected},
      {"limit", Event::Kind::limit}};
  std::vector<Event> out;
  for (const auto& item : *events) {
    if (!item.is_object() || item.size() != 1 || !item.begin()->is_string()) {
      problem = "an event is not one {\"kind\": \"version\"}";
      return std::nullopt;
    }
    const std::string& text = item.begin()->get_ref<const std::string&>();
    auto kind = std::find_if(std::begin(kKinds), std::end(kKinds),
                             [&](const auto& k) { return item.begin().key() == k.first; });
    if (kind == std::end(kKinds)) {
      problem = "unknown event " + quote(item.begin().key());
      return std::nullopt;
    }
    Event event{kind->second, std::nullopt, text};
    bool infinite = kind->second == Event::Kind::limit && text.find('*') != std::string::npos;
    if (!(kind->second == Event::Kind::introduced && text == "0") && !infinite) {
      event.version = parse_semver(text);
      if (!event.version) {
        problem = "version " + quote(text) + " is not a semantic version";
        return std::nullopt;
      }
    }
    out.push_back(std::move(event));
  }
  sort_events(out);
  return out;
}

struct ParsedFile {
  bool usable = false;  // false: unreadable, not an advisory, or withdrawn
  Advisory advisory;
  std::vector<std::pair<std::string, Affected>> affected;  // (index key, entry)
  std::vector<std::string> problems;
};

ParsedFile parse_file(const std::filesystem::path& path) {
  ParsedFile out;
  std::string text, problem;
  if (!read_whole(path, text, problem)) {
    out.problems.push_back(problem);
    return out;
  }
  json record = json::parse(text, keep_while_parsing, /*allow_exceptions=*/false);
  if (record.is_discarded() || !record.is_object()) {
    out.problems.push_back(record.is_discarded() ? "is not valid JSON" : "is not a JSON object");
    return out;
  }
  out.advisory.id = string_at(record, "id");
  if (out.advisory.id.empty()) {
    out.problems.push_back("has no \"id\"");
    return out;
  }
  // A withdrawn advisory was found to be wrong; it stays in the export with
  // the date it was withdrawn.
  if (!string_at(record, "withdrawn").empty()) return out;
  out.usable = true;
  out.advisory.summary = string_at(record, "summary");
  out.advisory.severity = severity_of(record);
  out.advisory.file = path.string();
  if (auto aliases = record.find("aliases"); aliases != record.end() && aliases->is_array())
    for (const auto& alias : *aliases)
      if (alias.is_string()) out.advisory.aliases.push_back(alias.get<std::string>());

  auto affected = record.find("affected");
  if (affected == record.end() || !affected->is_array()) return out;
  for (const auto& entry : *affected) {
    auto package = entry.is_object() ? entry.find("package") : entry.end();
    if (!entry.is_object() || package == entry.end() || !package->is_object() ||
        string_at(*package, "ecosystem").empty() || string_at(*package, "name").empty()) {
      out.problems.push_back("an affected entry names no package ecosystem and name");
      continue;
    }
    std::string ecosystem = string_at(*package, "ecosystem");
    Affected item;
    if (auto versions = entry.find("versions"); versions != entry.end() && versions->is_array())
      for (const auto& version : *versions)
        if (version.is_string()) item.versions.push_back(version.get<std::string>());
    if (auto ranges = entry.find("ranges"); ranges != entry.end() && ranges->is_array()) {
      for (const auto& range : *ranges) {
        std::string type = range.is_object() ? string_at(range, "type") : "";
        // GIT ranges need the repository's history; other ecosystems' own
        // orders (PyPI, Debian, ...) are not SemVer. Both rely on versions[].
        if (type != "SEMVER" && !(type == "ECOSYSTEM" && ecosystem == "npm")) continue;
        if (auto events = read_events(range, problem))
          item.ranges.push_back(std::move(*events));
        else
          out.problems.push_back(ecosystem + " package " + quote(string_at(*package, "name")) +
                                 ": " + problem + "; range skipped");
      }
    }
    out.affected.emplace_back(index_key(ecosystem, string_at(*package, "name")), std::move(item));
  }
  return out;
}

// The schema's IncludedInRanges for one range; `fixed` gets the first fixed
// version above `version` when it is affected.
bool in_range(const std::vector<Event>& events, const SemVer& version, std::string& fixed) {
  bool has_limit = false, before_limit = false;
  for (const auto& event : events) {
    if (event.kind != Event::Kind::limit) continue;
    has_limit = true;
    if (!event.version || compare(version, *event.version) < 0) before_limit = true;
  }
  if (has_limit && !before_limit) return false;
  bool affected = false;
  for (const auto& event : events) {
    switch (event.kind) {
      case Event::Kind::introduced:
        if (!event.version || compare(version, *event.version) >= 0) affected = true;
        break;
      case Event::Kind::fixed:
        if (compare(version, *event.version) >= 0) affected = false;
        break;
      case Event::Kind::last_affected:
        if (compare(version, *event.version) > 0) affected = false;
        break;
      case Event::Kind::limit:
        break;
    }
  }
  if (!affected) return false;
  for (const auto& event : events) {
    if (event.kind == Event::Kind::fixed && compare(version, *event.version) < 0) {
      fixed = event.text;
      break;
    }
  }
  return true;
}

}  // namespace

std::optional<double> cvss3_base_score(std::string_view vector) {
  if (vector.substr(0, 9) != "CVSS:3.0/" && vector.substr(0, 9) != "CVSS:3.1/") return std::nullopt;
  vector.remove_prefix(9);
  if (vector.empty() || vector.back() == '/') return std::nullopt;
  std::map<std::string_view, std::string_view> metrics;
  while (!vector.empty()) {
    size_t slash = vector.find('/');
    std::string_view part = vector.substr(0, slash);
    size_t colon = part.find(':');
    if (colon == std::string_view::npos) return std::nullopt;
    if (!metrics.emplace(part.substr(0, colon), part.substr(colon + 1)).second) return std::nullopt;
    vector = slash == std::string_view::npos ? std::string_view() : vector.substr(slash + 1);
  }
  // The weights of the CVSS v3.1 specification, section 7.4.
  auto weight = [&](std::string_view metric,
                    std::initializer_list<std::pair<std::string_view, double>> values) {
    auto it = metrics.find(metric);
    if (it != metrics.end())
      for (const auto& [value, w] : values)
        if (it->second == value) return w;
    return -1.0;
  };
  auto scope = metrics.find("S");
  if (scope == metrics.end() || (scope->second != "U" && scope->second != "C")) return std::nullopt;
  bool changed = scope->second == "C";
  double av = weight("AV", {{"N", 0.85}, {"A", 0.62}, {"L", 0.55}, {"P", 0.2}});
  double ac = weight("AC", {{"L", 0.77}, {"H", 0.44}});
  double pr =
      weight("PR", {{"N", 0.85}, {"L", changed ? 0.68 : 0.62}, {"H", changed ? 0.5 : 0.27}});
  double ui = weight("UI", {{"N", 0.85}, {"R", 0.62}});
  double c = weight("C", {{"H", 0.56}, {"L", 0.22}, {"N", 0.0}});
  double i = weight("I", {{"H", 0.56}, {"L", 0.22}, {"N", 0.0}});
  double a = weight("A", {{"H", 0.56}, {"L", 0.22}, {"N", 0.0}});
  for (double w : {av, ac, pr, ui, c, i, a})
    if (w < 0) return std::nullopt;

  double iss = 1 - (1 - c) * (1 - i) * (1 - a);
  double impact = changed ? 7.52 * (iss - 0.029) - 3.25 * std::pow(iss - 0.02, 15) : 6.42 * iss;
  double exploitability = 8.22 * av * ac * pr * ui;
  if (impact <= 0) return 0.0;
  double raw = changed ? 1.08 * (impact + exploitability) : impact + exploitability;
  // Roundup of the specification's Appendix A: the smallest one-decimal
  // number at or above the input, computed in integers so that floating
  // point noise (4.000000001) does not round up.
  auto round_up = [](double value) {
    auto scaled = static_cast<long long>(std::llround(value * 100000));
    if (scaled % 10000 == 0) return static_cast<double>(scaled) / 100000.0;
    return static_cast<double>(scaled / 10000 + 1) / 10.0;
  };
  return round_up(std::min(raw, 10.0));
}

std::string severity_of_score(double score) {
  if (score >= 9.0) return "critical";
  if (score >= 7.0) return "high";
  if (score >= 4.0) return "moderate";
  if (score > 0.0) return "low";
  return "unknown";
}

OsvDatabase OsvDatabase::load(const std::filesystem::path& dir) {
  std::error_code ec;
  auto status = std::filesystem::status(dir, ec);
  std::string refusal;
  if (status.type() == std::filesystem::file_type::not_found)
    refusal = "does not exist";
  else if (ec)
    refusal = "cannot be read: " + ec.message();
  else if (!std::filesystem::is_directory(status))
    refusal = "is not a folder";
  if (!refusal.empty())
    throw Error(ErrorKind::io, dir.string(), refusal,
                "unzip osv.dev's export (https://osv-vulnerabilities.storage.googleapis.com/"
                "npm/all.zip) into it");
  std::filesystem::recursive_directory_iterator it(
      dir, std::filesystem::directory_options::skip_permission_denied, ec);
  if (ec) throw Error(ErrorKind::io, dir.string(), "cannot be read: " + ec.message());

  OsvDatabase db;
  db.folder_ = dir;
  std::vector<std::filesystem::path> files;
  for (; it != std::filesystem::recursive_directory_iterator(); it.increment(ec)) {
    if (ec) break;
    if (it->path().extension() == ".json" && it->is_regular_file(ec)) files.push_back(it->path());
  }
  if (ec) db.errors_.push_back(dir.string() + ": not all of it could be listed: " + ec.message());
  // The order of a folder listing is the file system's; sorted, the
  // advisories and errors come out the same on every machine.
  std::sort(files.begin(), files.end());

  // Parsing is most of the time (the real export has tens of thousands of
  // files), and files are independent: parse them on every core, then
  // index them in order.
  std::vector<ParsedFile> parsed(files.size());
  std::atomic<size_t> next{0};
  auto work = [&] {
    for (size_t i; (i = next++) < files.size();) {
      try {
        parsed[i] = parse_file(files[i]);
      } catch (const std::exception& error) {  // out of memory, in practice
        parsed[i] = ParsedFile{};
        parsed[i].problems.push_back(std::string("cannot be loaded: ") + error.what());
      }
    }
  };
  unsigned threads =
      files.size() < 256 ? 1 : std::clamp(std::thread::hardware_concurrency(), 1u, 8u);
  std::vector<std::thread> workers;
  for (unsigned t = 1; t < threads; ++t) workers.emplace_back(work);
  work();
  for (auto& worker : workers) worker.join();

  for (size_t i = 0; i < files.size(); ++i) {
    for (const auto& problem : parsed[i].problems)
      db.errors_.push_back(files[i].string() + ": " + problem);
    if (!parsed[i].usable) continue;
    size_t record = db.records_.size();
    db.records_.push_back(std::move(parsed[i].advisory));
    for (auto& [key, affected] : parsed[i].affected) {
      affected.record = record;
      db.index_[key].push_back(std::move(affected));
    }
  }
  return db;
}

std::vector<Advisory> OsvDatabase::affecting(std::string_view ecosystem, std::string_view name,
                                             std::string_view version) const {
  auto found = index_.find(index_key(ecosystem, name));
  if (found == index_.end()) return {};
  std::optional<SemVer> parsed = parse_semver(version);
  std::map<size_t, std::string> matched;  // record -> fixed version
  for (const auto& affected : found->second) {
    bool listed = std::find(affected.versions.begin(), affected.versions.end(), version) !=
                  affected.versions.end();
    std::string fixed;
    bool in_ranges = false;
    if (parsed)
      for (const auto& range : affected.ranges)
        if ((in_ranges = in_range(range, *parsed, fixed))) break;
    if (!listed && !in_ranges) continue;
    auto [slot, inserted] = matched.emplace(affected.record, fixed);
    if (!inserted && slot->second.empty()) slot->second = fixed;
  }
  std::vector<Advisory> out;
  for (const auto& [record, fixed] : matched) {
    out.push_back(records_[record]);
    out.back().fixed = fixed;
  }
  std::sort(out.begin(), out.end(),
            [](const Advisory& a, const Advisory& b) { return a.id < b.id; });
  return out;
}

}  // namespace ccmcp::tester
