#include "cli/build_progress.h"

#include <sys/ioctl.h>
#include <unistd.h>

namespace ccmcp::cli {

namespace {

size_t terminal_width(std::FILE* stream) {
  winsize size{};
  if (::ioctl(::fileno(stream), TIOCGWINSZ, &size) == 0 && size.ws_col > 20) return size.ws_col;
  return 80;
}

// Cuts to `width` characters (UTF-8 aware enough: continuation bytes are free).
std::string fit(const std::string& text, size_t width) {
  size_t shown = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80 && ++shown > width)
      return text.substr(0, i);
  }
  return text;
}

}  // namespace

BuildProgressPrinter::BuildProgressPrinter(Output& out, std::string server, std::FILE* stream)
    : out_(out),
      server_(std::move(server)),
      stream_(stream),
      terminal_(::isatty(::fileno(stream)) == 1 && out.verbosity() == 0) {}

BuildProgressPrinter::~BuildProgressPrinter() {
  finish();
}

void BuildProgressPrinter::finish() {
  if (!line_open_) return;
  std::fprintf(stream_, "\r\033[K");
  std::fflush(stream_);
  line_open_ = false;
}

void BuildProgressPrinter::note(const std::string& text) {
  if (out_.quiet()) return;
  finish();
  if (text.rfind("warning: ", 0) == 0)
    out_.warning(text.substr(9));
  else
    out_.note(text);
}

void BuildProgressPrinter::step(int number, int total, const std::string& text) {
  if (out_.quiet() || out_.verbosity() > 0) return;  // -v shows the step among all lines
  std::string line = "building " + server_ + ": step " + std::to_string(number) + "/" +
                     std::to_string(total) + ": " + text;
  if (terminal_) {
    std::fprintf(stream_, "\r\033[K%s", fit(line, terminal_width(stream_) - 1).c_str());
    line_open_ = true;
  } else {
    std::fprintf(stream_, "%s\n", line.c_str());
  }
  std::fflush(stream_);
}

void BuildProgressPrinter::output(const std::string& line) {
  if (out_.quiet() || out_.verbosity() == 0) return;
  std::fprintf(stream_, "  %s\n", line.c_str());
}

}  // namespace ccmcp::cli
