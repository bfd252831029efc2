// The security scan of a test run, as three checks: the image (its config
// and files), its npm dependencies against an OSV database, and the tools
// it serves. `files` is null when the image's files could not be read;
// `files_problem` then says why (that check fails, never passes silently).
#pragma once

#include <filesystem>
#include <string>

#include <nlohmann/json.hpp>

#include "testing/dependency_scan.h"
#include "testing/image_files.h"
#include "testing/mcp_checks.h"
#include "testing/tester.h"
#include "testing/tool_scan.h"

namespace ccmcp::tester {

CheckResult check_image(const nlohmann::json& image_inspect, const ImageFiles* files,
                        const std::string& files_problem);

CheckResult check_dependencies(const ImageFiles* files, const std::string& files_problem,
                               const std::filesystem::path& osv_db,
                               const DependencyScanOptions& options);

CheckResult check_tools(const ServedSet& served, const std::vector<OtherServerTools>& others,
                        const ToolScanOptions& options);

// What to tell a user who has no OSV database at `dir`.
std::string how_to_get_osv_db(const std::filesystem::path& dir);

}  // namespace ccmcp::tester
