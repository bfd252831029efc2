#include "cli/update_printer.h"

#include <unistd.h>

#include <iostream>

#include "util/strings.h"

namespace ccmcp::cli {

using Json = nlohmann::ordered_json;

void UpdatePrinter::step(const std::string& server, const std::string& text) {
  if (out_.json()) return;
  out_.line("⏳ " + server + ": " + text);
  std::fflush(stdout);  // before the build's and the tester's lines on stderr
}

images::BuildReporter& UpdatePrinter::build_reporter(const std::string& server) {
  if (out_.json()) return silent_;
  build_ = std::make_unique<BuildProgressPrinter>(out_, server);
  return *build_;
}

void UpdatePrinter::build_done(const std::string&) {
  if (build_) build_->finish();
  build_.reset();
}

void UpdatePrinter::test_done(const tester::TestReport& report) {
  if (!out_.json()) tests_.finished(report);
}

void UpdatePrinter::tools_changed(const std::string& server, const tester::ToolsetDiff& diff,
                                  bool known) {
  if (out_.json()) return;
  if (!known) {
    out_.line("  " + server + ": the current version's tools were never recorded (cc-mcp test " +
              server + " records them): changes cannot be shown");
    return;
  }
  if (diff.empty()) {
    out_.line("  tools: unchanged");
    return;
  }
  out_.line("  What this update changes for the model:");
  if (!diff.added.empty()) out_.line("    + added: " + join(diff.added, ", "));
  if (!diff.removed.empty()) out_.line("    - removed: " + join(diff.removed, ", "));
  if (!diff.description_changed.empty())
    out_.line(out_.paint("    ! description changed: " + join(diff.description_changed, ", "),
                         Color::yellow));
  if (!diff.schema_changed.empty())
    out_.line(
        out_.paint("    ! schema changed: " + join(diff.schema_changed, ", "), Color::yellow));
}

bool UpdatePrinter::confirm_tool_changes(const std::string& server, const tester::ToolsetDiff&) {
  if (out_.json() || !isatty(STDIN_FILENO) || !isatty(STDERR_FILENO)) return false;
  std::fprintf(stderr, "The update rewrites what tools of %s tell the model. Apply it? [y/N] ",
               server.c_str());
  std::fflush(stderr);
  std::string answer;
  if (!std::getline(std::cin, answer)) return false;
  return answer == "y" || answer == "Y" || answer == "yes";
}

void UpdatePrinter::finished(const updates::UpdateResult& result, bool rollback) {
  using updates::Outcome;
  if (out_.json()) return;
  const std::string& name = result.name;
  std::string move = result.from.version + " → " + result.to.version;
  if (result.up_to_date) {
    out_.line(out_.paint("✓", Color::green) + " " + name + " is up to date (" +
              result.from.version + ")");
    return;
  }
  switch (result.outcome) {
    case Outcome::kept:
      out_.line(out_.paint("✓", Color::green) + " " + (rollback ? "Rolled back " : "Updated ") +
                name + ": " + move +
                (result.was_running ? " (running at " + result.url + ", same port)"
                                    : " (stopped: the next start runs it)"));
      return;
    case Outcome::dry_run:
      out_.line(name + ": " + move +
                " built and tested; nothing replaced (--dry-run). cc-mcp update " + name +
                " applies it.");
      return;
    case Outcome::refused:
      out_.error(quote(name) + ": not updated to " + result.to.version + ": " + result.reason +
                 " (review the changes above, then cc-mcp update " + name +
                 " --accept-tool-changes)");
      return;
    case Outcome::rolled_back:
    case Outcome::failed:
      break;
  }
  std::string verb = rollback ? "rollback to " : "update to ";
  std::string target = result.to.version.empty() ? "the latest version" : result.to.version;
  bool back = result.outcome == Outcome::rolled_back;
  out_.error(
      quote(name) + ": " + verb + target + " failed at " + result.step + ": " + result.reason +
      (back ? (" (rolled back: " + name + " " + (result.was_running ? "still runs " : "stays at ") +
               result.from.version + ")")
       : result.step == "build" ? " (nothing was changed)"
                                : ""));
  if (!result.log_tail.empty()) {
    std::fprintf(stderr, "  last lines of its log:\n");
    for (const auto& line : result.log_tail) std::fprintf(stderr, "  | %s\n", line.c_str());
    std::fflush(stderr);
  }
}

Json to_json(const updates::UpdateResult& result) {
  Json json = {{"name", result.name},
               {"outcome", result.up_to_date ? "up to date" : updates::to_string(result.outcome)},
               {"from", updates::to_json(result.from)},
               {"to", updates::to_json(result.to)},
               {"running", result.was_running},
               {"url", result.url},
               {"step", result.step},
               {"reason", result.reason},
               {"clientMustReload", result.client_must_reload()}};
  json["tools"] = result.tools_known ? updates::to_json(result.tools) : Json(nullptr);
  if (!result.log_tail.empty()) json["log"] = result.log_tail;
  return json;
}

}  // namespace ccmcp::cli
