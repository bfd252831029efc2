// How a build talks to the user. The cli implements it with its Output
// (a progress line on a terminal, a line per step otherwise, everything
// with -v); tests record what it was told.
#pragma once

#include <string>

namespace ccmcp::images {

class BuildReporter {
 public:
  virtual ~BuildReporter() = default;
  // What cc-mcp does around the build: "fetching @x/y@1.2.3 from npm".
  virtual void note(const std::string& text) = 0;
  // A Dockerfile step begins: "Step 3/9 : COPY app /app" is (3, 9, "COPY app /app").
  virtual void step(int number, int total, const std::string& text) = 0;
  // Every line the build printed, steps included.
  virtual void output(const std::string& line) = 0;
};

// Says nothing: for callers that only want the image.
class SilentReporter : public BuildReporter {
 public:
  void note(const std::string&) override {}
  void step(int, int, const std::string&) override {}
  void output(const std::string&) override {}
};

}  // namespace ccmcp::images
