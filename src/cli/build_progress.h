// images::BuildReporter for the command line: on a terminal one progress
// line per build, "building NAME: step N/M: ...", rewritten in place; else
// a line per step; with -v every line of the build. Notes go to stderr like
// every note; -q silences all of it (errors still print).
#pragma once

#include <cstdio>
#include <string>

#include "cli/output.h"
#include "images/reporter.h"

namespace ccmcp::cli {

class BuildProgressPrinter : public images::BuildReporter {
 public:
  BuildProgressPrinter(Output& out, std::string server, std::FILE* stream = stderr);
  ~BuildProgressPrinter() override;
  BuildProgressPrinter(const BuildProgressPrinter&) = delete;
  BuildProgressPrinter& operator=(const BuildProgressPrinter&) = delete;

  void note(const std::string& text) override;
  void step(int number, int total, const std::string& text) override;
  void output(const std::string& line) override;

  // Ends the progress line (before the result is printed).
  void finish();

 private:
  Output& out_;
  std::string server_;
  std::FILE* stream_;
  bool terminal_;
  bool line_open_ = false;
};

}  // namespace ccmcp::cli
