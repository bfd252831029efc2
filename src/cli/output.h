// How commands speak: to people (tables, colour, messages on stderr) or to
// scripts (--json on stdout). Every command prints through one of these.
#pragma once

#include <cstdio>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "config/diagnostic.h"
#include "util/error.h"

namespace ccmcp::cli {

struct GlobalOptions {
  std::string config;  // empty: look it up
  bool config_given = false;
  bool json = false;
  bool no_color = false;
  bool quiet = false;
  int verbose = 0;
};

enum class Color { none, red, green, yellow, dim, bold };

class Output {
 public:
  Output(const GlobalOptions& options, std::FILE* out = stdout, std::FILE* err = stderr);

  bool json() const { return json_; }
  bool quiet() const { return quiet_; }
  int verbosity() const { return verbose_; }

  // Text for people on stdout (nothing with --json).
  void line(const std::string& text);
  std::string paint(const std::string& text, Color color) const;

  // A table: headers in bold, columns padded to their widest cell.
  void table(const std::vector<std::string>& headers,
             const std::vector<std::vector<std::string>>& rows);

  void print_json(const nlohmann::ordered_json& value);

  // "cc-mcp: error: ..." and "cc-mcp: warning: ..." on stderr.
  void error(const std::string& message);
  void warning(const std::string& message);  // silenced by -q
  void note(const std::string& message);     // stderr, silenced by -q
  void diagnostic(const config::Diagnostic& diagnostic);

 private:
  std::FILE* out_;
  std::FILE* err_;
  bool json_;
  bool quiet_;
  int verbose_;
  bool color_out_;
  bool color_err_;
};

}  // namespace ccmcp::cli
