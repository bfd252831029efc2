#include "updates/latest.h"

#include <algorithm>
#include <cctype>

#include "images/context.h"
#include "images/naming.h"
#include "sources/git_remote.h"
#include "sources/npm.h"
#include "util/error.h"
#include "util/semver.h"

namespace ccmcp::updates {

namespace {

// "v9" before "v10": runs of digits compare by value, the rest as text.
bool natural_less(const std::string& a, const std::string& b) {
  size_t i = 0, j = 0;
  while (i < a.size() && j < b.size()) {
    bool da = std::isdigit(static_cast<unsigned char>(a[i]));
    bool db = std::isdigit(static_cast<unsigned char>(b[j]));
    if (da && db) {
      size_t ei = i, ej = j;
      while (ei < a.size() && std::isdigit(static_cast<unsigned char>(a[ei]))) ++ei;
      while (ej < b.size() && std::isdigit(static_cast<unsigned char>(b[ej]))) ++ej;
      std::string na = a.substr(i, ei - i), nb = b.substr(j, ej - j);
      na.erase(0, std::min(na.find_first_not_of('0'), na.size()));
      nb.erase(0, std::min(nb.find_first_not_of('0'), nb.size()));
      if (na.size() != nb.size()) return na.size() < nb.size();
      if (na != nb) return na < nb;
      i = ei, j = ej;
    } else {
      if (a[i] != b[j]) return a[i] < b[j];
      ++i, ++j;
    }
  }
  return a.size() - i < b.size() - j;
}

LatestVersion latest_npm(const config::Source& source, std::chrono::seconds timeout) {
  LatestVersion latest;
  if (sources::is_exact_npm_version(source.version)) {
    latest.pinned = true;
    latest.pinned_to = source.version[0] == 'v' ? source.version.substr(1) : source.version;
    latest.version = sources::npm_resolve_version(source.package, "latest", timeout);
  } else {
    latest.version = sources::npm_resolve_version(source.package, source.version, timeout);
  }
  return latest;
}

LatestVersion latest_git(const config::Source& source, std::chrono::seconds timeout) {
  LatestVersion latest;
  auto heads = sources::git_remote_heads(source.repository, timeout);
  if (!source.commit.empty()) {
    latest.pinned = true;
    latest.pinned_to = source.commit;
  }
  if (!source.tag.empty()) {
    latest.pinned = true;
    latest.pinned_to = source.tag;
  }
  if (!source.commit.empty() || !source.tag.empty()) {
    // What a pin could move to: the newest tag, else the default branch.
    if (auto tag = newest_tag(heads.tags)) {
      latest.version = *tag;
      latest.commit = heads.tags.at(*tag);
      return latest;
    }
  }
  std::string branch = source.branch.empty() ? heads.default_branch : source.branch;
  auto it = heads.branches.find(branch);
  if (branch.empty() || it == heads.branches.end())
    throw Error(
        ErrorKind::build, quote(branch.empty() ? source.repository : branch),
        branch.empty() ? "has no default branch" : "no such branch in " + quote(source.repository),
        "name a \"branch\" that the repository has in mcp.json");
  latest.commit = it->second;
  latest.version = images::short_commit(latest.commit);
  return latest;
}

LatestVersion latest_local(const config::Source& source) {
  std::error_code ec;
  if (!std::filesystem::is_directory(source.local_path, ec))
    throw Error(ErrorKind::build, quote(source.local_path.string()), "is not a folder any more",
                "fix \"source.path\" in mcp.json");
  LatestVersion latest;
  latest.version =
      images::digest_version(images::tree_digest(source.local_path, images::skip_source_clutter));
  return latest;
}

}  // namespace

LatestVersion latest_version(const images::ImagePlan& plan, std::chrono::seconds timeout) {
  switch (plan.kind) {
    case images::SourceKind::npm:
      return latest_npm(plan.source, timeout);
    case images::SourceKind::git:
      return latest_git(plan.source, timeout);
    case images::SourceKind::local:
      return latest_local(plan.source);
    case images::SourceKind::dockerfile:
    case images::SourceKind::image:
      break;
  }
  throw Error(ErrorKind::config, quote(plan.server), "has no source to check for updates",
              "give it a \"source\" (npm, git or local) in mcp.json");
}

std::optional<std::string> newest_tag(const std::map<std::string, std::string>& tags) {
  std::optional<std::string> best_version, best_other;
  std::optional<SemVer> best;
  for (const auto& [tag, commit] : tags) {
    if (auto version = parse_semver(tag)) {
      if (!best || compare(*version, *best) > 0) {
        best = version;
        best_version = tag;
      }
    } else if (!best_other || natural_less(*best_other, tag)) {
      best_other = tag;
    }
  }
  return best_version ? best_version : best_other;
}

}  // namespace ccmcp::updates
