#include "util/line_splitter.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace ccmcp {
namespace {

std::vector<std::string> split(LineSplitter& splitter, const std::string& stream, size_t piece,
                               bool* kept_all = nullptr) {
  std::vector<std::string> lines;
  bool all = true;
  for (size_t at = 0; at < stream.size(); at += piece)
    all &= splitter.feed(std::string_view(stream).substr(at, piece),
                         [&](std::string_view line) { lines.emplace_back(line); });
  if (kept_all) *kept_all = all;
  return lines;
}

TEST(LineSplitter, LinesComeOutWhateverTheChunks) {
  const std::string stream = "{\"a\":1}\n\nsecond line\nno end yet";
  for (size_t piece = 1; piece <= stream.size(); ++piece) {
    LineSplitter splitter;
    EXPECT_EQ(split(splitter, stream, piece),
              (std::vector<std::string>{"{\"a\":1}", "", "second line"}))
        << piece;
    EXPECT_EQ(splitter.rest(), "no end yet");
  }
}

TEST(LineSplitter, AnOverlongLineIsDroppedWhole) {
  for (size_t piece : {1u, 3u, 100u}) {
    LineSplitter splitter(8);
    bool kept_all = true;
    EXPECT_EQ(
        split(splitter, "short\nmuch too long a line\nok\n12345678\n123456789", piece, &kept_all),
        (std::vector<std::string>{"short", "ok", "12345678"}))
        << piece;
    EXPECT_FALSE(kept_all);
    EXPECT_EQ(splitter.rest(), "");  // the over-long last line is dropped too
  }
}

}  // namespace
}  // namespace ccmcp
