#include "testing/security_checks.h"

#include <chrono>

#include "testing/image_scan.h"
#include "testing/osv.h"
#include "util/elapsed.h"

namespace ccmcp::tester {

using Json = nlohmann::json;
using Clock = std::chrono::steady_clock;

namespace {

// The detail line: the first failure, else the first warning, else `fine`.
void conclude(CheckResult& check, const std::string& fine) {
  check.status = status_of(check.findings);
  check.detail = fine;
  for (Severity worst : {Severity::fail, Severity::warn}) {
    size_t count = 0;
    const Finding* first = nullptr;
    for (const auto& finding : check.findings)
      if (finding.severity == worst && count++ == 0) first = &finding;
    if (!first) continue;
    check.detail = first->evidence + ": " + first->message;
    if (count > 1) check.detail += " and " + std::to_string(count - 1) + " more";
    return;
  }
}

size_t count_rule(const Findings& findings, const std::string& rule) {
  size_t n = 0;
  for (const auto& finding : findings) n += finding.rule == rule;
  return n;
}

}  // namespace

std::string how_to_get_osv_db(const std::filesystem::path& dir) {
  return "download osv.dev's npm export (npm/all.zip, see osv.dev's data documentation) and "
         "unzip it into " +
         (dir / "npm").string() + ", or pass --osv-db DIR";
}

CheckResult check_image(const Json& inspect, const ImageFiles* files,
                        const std::string& files_problem) {
  auto began = Clock::now();
  CheckResult check = CheckResult::make("image-scan", "Image scan");
  check.findings = scan_image_config(inspect);
  std::string app = application_folder(inspect);
  if (files) {
    for (auto& finding : scan_image_files(*files, app))
      check.findings.push_back(std::move(finding));
  } else {
    check.findings.push_back({"image.files", Severity::fail,
                              "its files could not be read: " + files_problem, "the test container",
                              ""});
  }
  conclude(check, files ? std::to_string(files->entries.size()) + " files checked, " + "runs as " +
                              inspect["Config"].value("User", "root") + ", entrypoint cc-mcp-bridge"
                        : "");
  check.took = elapsed_since(began);
  return check;
}

CheckResult check_dependencies(const ImageFiles* files, const std::string& files_problem,
                               const std::filesystem::path& osv_db,
                               const DependencyScanOptions& options) {
  auto began = Clock::now();
  CheckResult check = CheckResult::make("dependencies", "Dependency scan");
  std::error_code ec;
  if (!files) {
    check.findings.push_back({"dependency.files", Severity::fail,
                              "the image's packages could not be read: " + files_problem,
                              "the test container", ""});
  } else if (osv_db.empty() || !std::filesystem::is_directory(osv_db, ec)) {
    auto packages = npm_packages(files->contents);
    check.findings.push_back({"dependency.no-database", Severity::warn,
                              std::to_string(packages.size()) +
                                  " npm packages were not checked: there is no vulnerability "
                                  "database here (" +
                                  how_to_get_osv_db(osv_db) + ")",
                              osv_db.string(), ""});
  } else {
    try {
      OsvDatabase db = OsvDatabase::load(osv_db);
      check.findings = scan_dependencies(npm_packages(files->contents), db, options);
      for (const auto& problem : db.errors())
        check.findings.push_back({"dependency.bad-advisory", Severity::warn,
                                  "an advisory file was skipped", problem, ""});
    } catch (const Error& error) {
      check.findings.push_back({"dependency.no-database", Severity::warn,
                                "the vulnerability database could not be read: " + error.message(),
                                osv_db.string(), ""});
    }
  }
  std::string fine = "no known vulnerabilities";
  for (const auto& finding : check.findings)
    if (finding.rule == "dependency.inventory") fine = finding.message;
  conclude(check, fine);
  check.took = elapsed_since(began);
  return check;
}

CheckResult check_tools(const ServedSet& served, const std::vector<OtherServerTools>& others,
                        const ToolScanOptions& options) {
  auto began = Clock::now();
  CheckResult check = CheckResult::make("tool-scan", "Tool scan");
  check.findings = scan_tools(served.tools, options);
  auto text_of = [](const Json& item, const char* key) {
    return item.is_object() && item.contains(key) && item[key].is_string()
               ? item[key].get<std::string>()
               : std::string();
  };
  for (const auto& prompt : served.prompts)
    for (auto& finding : scan_text(text_of(prompt, "description"),
                                   "prompt " + text_of(prompt, "name") + ": description", options))
      check.findings.push_back(std::move(finding));
  for (const auto& resource : served.resources)
    for (auto& finding :
         scan_text(text_of(resource, "description"),
                   "resource " + text_of(resource, "uri") + ": description", options))
      check.findings.push_back(std::move(finding));
  for (auto& finding : find_shadowing(served.tools, others))
    check.findings.push_back(std::move(finding));
  conclude(check, std::to_string(served.tools.size()) + " tools, " +
                      std::to_string(served.prompts.size()) + " prompts, " +
                      std::to_string(served.resources.size()) + " resources: no hidden " +
                      "instructions" +
                      (count_rule(check.findings, "tool.shadowing") ? "" : ", no shadowing"));
  check.took = elapsed_since(began);
  return check;
}

}  // namespace ccmcp::tester
