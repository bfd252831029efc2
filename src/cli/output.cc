#include "cli/output.h"

#include <unistd.h>

#include <cstdlib>

namespace ccmcp::cli {

namespace {

bool wants_color(std::FILE* stream, bool disabled) {
  if (disabled) return false;
  if (const char* no_color = std::getenv("NO_COLOR"); no_color && *no_color) return false;
  if (const char* term = std::getenv("TERM"); term && std::string(term) == "dumb") return false;
  return ::isatty(::fileno(stream)) == 1;
}

const char* code(Color color) {
  switch (color) {
    case Color::red:
      return "\033[31m";
    case Color::green:
      return "\033[32m";
    case Color::yellow:
      return "\033[33m";
    case Color::dim:
      return "\033[2m";
    case Color::bold:
      return "\033[1m";
    case Color::none:
      return "";
  }
  return "";
}

std::string paint_if(bool enabled, const std::string& text, Color color) {
  if (!enabled || color == Color::none) return text;
  return code(color) + text + "\033[0m";
}

size_t visible_width(const std::string& text) {
  // Skips the escape sequences that paint() adds.
  size_t width = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\033') {
      while (i < text.size() && text[i] != 'm') ++i;
      continue;
    }
    if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) ++width;
  }
  return width;
}

}  // namespace

Output::Output(const GlobalOptions& options, std::FILE* out, std::FILE* err)
    : out_(out),
      err_(err),
      json_(options.json),
      quiet_(options.quiet),
      verbose_(options.verbose),
      color_out_(wants_color(out, options.no_color)),
      color_err_(wants_color(err, options.no_color)) {}

void Output::line(const std::string& text) {
  if (json_) return;
  std::fprintf(out_, "%s\n", text.c_str());
}

std::string Output::paint(const std::string& text, Color color) const {
  return paint_if(color_out_, text, color);
}

void Output::table(const std::vector<std::string>& headers,
                   const std::vector<std::vector<std::string>>& rows) {
  std::vector<size_t> widths(headers.size());
  for (size_t c = 0; c < headers.size(); ++c) widths[c] = visible_width(headers[c]);
  for (const auto& row : rows)
    for (size_t c = 0; c < row.size() && c < widths.size(); ++c)
      widths[c] = std::max(widths[c], visible_width(row[c]));
  auto emit = [&](const std::vector<std::string>& cells, bool header) {
    std::string text;
    for (size_t c = 0; c < cells.size(); ++c) {
      std::string cell = header ? paint(cells[c], Color::bold) : cells[c];
      text += cell;
      if (c + 1 < cells.size()) text += std::string(widths[c] - visible_width(cells[c]) + 2, ' ');
    }
    line(text);
  };
  emit(headers, true);
  for (const auto& row : rows) emit(row, false);
}

void Output::print_json(const nlohmann::ordered_json& value) {
  std::string text = value.dump(2, ' ', false, nlohmann::json::error_handler_t::replace);
  std::fprintf(out_, "%s\n", text.c_str());
}

void Output::error(const std::string& message) {
  std::fprintf(err_, "%s %s\n", paint_if(color_err_, "cc-mcp: error:", Color::red).c_str(),
               message.c_str());
}

void Output::warning(const std::string& message) {
  if (quiet_) return;
  std::fprintf(err_, "%s %s\n", paint_if(color_err_, "cc-mcp: warning:", Color::yellow).c_str(),
               message.c_str());
}

void Output::note(const std::string& message) {
  if (quiet_) return;
  std::fprintf(err_, "cc-mcp: %s\n", message.c_str());
}

void Output::diagnostic(const config::Diagnostic& diagnostic) {
  if (diagnostic.severity == config::Severity::error)
    error(diagnostic.format());
  else
    warning(diagnostic.format());
}

}  // namespace ccmcp::cli
