// What a check of the tester found, and how bad it is. Every scanner
// (tools, image, dependencies) returns findings; the tester turns them into
// one check result each (pass, warn or fail) with the findings as evidence.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace ccmcp::tester {

enum class Status { pass, warn, fail };
const char* to_string(Status status);

// A finding's weight: `fail` makes its check fail, `warn` shows it, `info`
// is only evidence (e.g. "7 packages checked").
enum class Severity { info, warn, fail };
const char* to_string(Severity severity);

struct Finding {
  std::string rule;  // a stable id: "tool.hidden-instruction", "image.setuid", ...
  Severity severity = Severity::fail;
  std::string message;  // for people: "description tells the model to read ~/.ssh"
  // Where it was seen, for the user to check: a file in the image
  // ("/app/.env"), a key ("ENV AWS_SECRET_ACCESS_KEY", "label x.y"), a
  // tool ("tool read_file: description"), a package ("minimist@1.2.5").
  std::string evidence;
  std::string excerpt;  // the offending text, shortened and made printable; may be empty
};

using Findings = std::vector<Finding>;

// The worst status the findings give: fail if any is fail, else warn if
// any is warn, else pass.
Status status_of(const Findings& findings);

nlohmann::ordered_json to_json(const Finding& finding);

}  // namespace ccmcp::tester
