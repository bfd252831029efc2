#include "sources/python.h"

#include "util/error.h"
#include "util/fs.h"
#include "util/process.h"

namespace ccmcp::sources {

namespace {

std::vector<std::string> pip_download(const std::filesystem::path& wheels_dir,
                                      const std::string& python_version, bool offline) {
  std::vector<std::string> argv = {"python3",
                                   "-m",
                                   "pip",
                                   "download",
                                   "--disable-pip-version-check",
                                   "--no-input",
                                   "--only-binary=:all:",
                                   "--dest",
                                   wheels_dir.string()};
  if (offline) {
    argv.insert(argv.end(), {"--no-index", "--find-links", wheels_dir.string()});
  }
  if (!python_version.empty()) argv.insert(argv.end(), {"--python-version", python_version});
  return argv;
}

}  // namespace

void fetch_python_wheels(const std::vector<std::string>& requirements,
                         const std::filesystem::path& wheels_dir, const std::string& python_version,
                         const std::filesystem::path& host_wheels) {
  std::error_code ec;
  std::filesystem::create_directories(wheels_dir, ec);
  if (ec)
    throw Error(ErrorKind::io, wheels_dir.string(), "cannot create: " + system_problem(ec.value()),
                ec.value() == ENOSPC ? "free some space" : "");
  for (const char* name : {"setuptools-", "wheel-"}) {
    if (!std::filesystem::is_directory(host_wheels, ec)) break;
    for (const auto& entry : std::filesystem::directory_iterator(host_wheels, ec)) {
      std::string file = entry.path().filename().string();
      if (file.rfind(name, 0) != 0 || entry.path().extension() != ".whl") continue;
      std::filesystem::copy_file(entry.path(), wheels_dir / file,
                                 std::filesystem::copy_options::overwrite_existing, ec);
      if (ec)
        throw Error(ErrorKind::io, (wheels_dir / file).string(),
                    "cannot copy: " + system_problem(ec.value()),
                    ec.value() == ENOSPC ? "free some space" : "");
    }
  }
  if (requirements.empty()) return;
  if (!program_exists("python3"))
    throw Error(ErrorKind::build, "python3", "is not installed on this host",
                "cc-mcp fetches Python dependencies with the host's pip: apt-get install "
                "python3-pip");
  // First from what is here: a project that needs only setuptools needs no index.
  auto offline = pip_download(wheels_dir, python_version, true);
  offline.insert(offline.end(), requirements.begin(), requirements.end());
  if (run_process(offline, process_options(std::chrono::minutes(2))).ok()) return;

  auto online = pip_download(wheels_dir, python_version, false);
  online.insert(online.end(), requirements.begin(), requirements.end());
  ProcessResult result = run_process(online, process_options(std::chrono::minutes(15)));
  if (result.ok()) return;
  std::string text = result.err + result.out;
  auto says = [&](const char* word) { return text.find(word) != std::string::npos; };
  std::string what;
  for (const auto& r : requirements) what += (what.empty() ? "" : ", ") + r;
  if (says("No module named pip"))
    throw Error(ErrorKind::build, "pip", "is not installed on this host",
                "apt-get install python3-pip");
  if (says("No space left"))
    throw Error(ErrorKind::io, wheels_dir.string(), "the disk is full", "free some space");
  if (says("NewConnectionError") || says("Temporary failure in name resolution") ||
      says("Max retries exceeded") || says("Network is unreachable") || says("timed out"))
    throw Error(ErrorKind::build, what, "cannot fetch from PyPI: it cannot be reached from here",
                "the Python dependencies are fetched on the host; give the host access to PyPI "
                "(or a mirror in pip's config), or vendor them as wheels");
  std::string tail;
  for (const auto& line : last_lines(text, 4)) tail += "\n    " + line;
  throw Error(ErrorKind::build, what, "pip download failed:" + tail,
              "only wheels are fetched (--only-binary=:all:); a dependency with no wheel for "
              "Python " +
                  (python_version.empty() ? std::string("here") : python_version) +
                  " cannot be installed offline");
}

}  // namespace ccmcp::sources
