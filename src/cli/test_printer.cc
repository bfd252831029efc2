#include "cli/test_printer.h"

#include <cstdio>

namespace ccmcp::cli {

using tester::Status;

namespace {

std::string seconds(std::chrono::milliseconds took) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.1fs", static_cast<double>(took.count()) / 1000.0);
  return buffer;
}

std::string lower_first(std::string text) {
  if (!text.empty()) text[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(text[0])));
  return text;
}

}  // namespace

bool is_security_check(const std::string& id) {
  return id == "image-scan" || id == "dependencies" || id == "tool-scan";
}

void TestPrinter::started(const tester::TestTarget& target) {
  security_.clear();
  if (out_.json()) return;
  out_.line("⏳ Running tests of " + target.server.name + " (" + target.image.reference + ")...");
}

void TestPrinter::print_check(const tester::CheckResult& check, const std::string& indent) {
  std::string title = indent.empty() ? check.title : lower_first(check.title);
  switch (check.status) {
    case Status::pass:
      out_.line(indent + out_.paint("✓", Color::green) + " " + title + " passed" +
                (check.detail.empty() ? "" : " (" + check.detail + ")"));
      break;
    case Status::warn:
      out_.line(indent + out_.paint("!", Color::yellow) + " " + title +
                " passed with warnings: " + check.detail);
      break;
    case Status::fail:
      out_.line(indent + out_.paint("✗", Color::red) + " " + title + " failed: " + check.detail);
      break;
  }
  if (check.status == Status::pass) return;
  // Every finding that is not only evidence, with where it was seen; a
  // single one is the detail line already.
  size_t worth_listing = 0;
  for (const auto& finding : check.findings)
    worth_listing += finding.severity != tester::Severity::info;
  size_t shown = 0;
  for (const auto& finding : check.findings) {
    if (finding.severity == tester::Severity::info || worth_listing < 2) continue;
    if (++shown > 20) {
      out_.line(indent + "    ... and more (--json lists them all)");
      break;
    }
    std::string mark = finding.severity == tester::Severity::fail ? out_.paint("✗", Color::red)
                                                                  : out_.paint("!", Color::yellow);
    out_.line(indent + "    " + mark + " " + finding.evidence + ": " + finding.message +
              (finding.excerpt.empty() ? "" : " [" + finding.excerpt + "]") + " " +
              out_.paint("(" + finding.rule + ")", Color::dim));
  }
  if (!check.log_tail.empty()) {
    out_.line(indent + "    last lines of its log:");
    for (const auto& line : check.log_tail) out_.line(indent + "    | " + line);
  }
}

void TestPrinter::check_done(const tester::CheckResult& check) {
  if (is_security_check(check.id)) {
    security_.push_back(check);
    return;
  }
  if (!out_.json()) print_check(check, "");
}

void TestPrinter::finished(const tester::TestReport& report) {
  if (out_.json()) return;
  if (!security_.empty()) {
    size_t failed = 0, warned = 0;
    for (const auto& check : security_) {
      failed += check.status == Status::fail;
      warned += check.status == Status::warn;
    }
    if (failed) {
      std::string first;
      for (const auto& check : security_)
        if (check.status == Status::fail && first.empty()) first = check.detail;
      out_.line(out_.paint("✗", Color::red) + " Security scan failed: " + first);
    } else {
      out_.line(out_.paint("✓", Color::green) + " Security scan passed" +
                (warned ? " (with warnings)" : ""));
    }
    for (const auto& check : security_) print_check(check, "  ");
  }
  std::string verdict =
      report.passed() ? out_.paint("passed", Color::green) : out_.paint("failed", Color::red);
  out_.line(report.subject + ": " + verdict + " (" + std::to_string(report.checks.size()) +
            " checks in " + seconds(report.took) +
            (report.container.empty() ? "" : ", in " + report.container + ", now removed") + ")");
}

}  // namespace ccmcp::cli
