#include "util/strings.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace ccmcp {
namespace {

TEST(Strings, EditDistance) {
  EXPECT_EQ(edit_distance("", ""), 0u);
  EXPECT_EQ(edit_distance("abc", ""), 3u);
  EXPECT_EQ(edit_distance("", "abc"), 3u);
  EXPECT_EQ(edit_distance("abc", "abc"), 0u);
  EXPECT_EQ(edit_distance("kitten", "sitting"), 3u);
  EXPECT_EQ(edit_distance("flaw", "lawn"), 2u);
  EXPECT_EQ(edit_distance("command", "comand"), 1u);  // a deletion
  EXPECT_EQ(edit_distance("comand", "command"), 1u);  // an insertion
  EXPECT_EQ(edit_distance("docker", "dockar"), 1u);   // a substitution
  EXPECT_EQ(edit_distance("memory", "memroy"), 1u);   // a transposition is one typo
  EXPECT_EQ(edit_distance("ab", "ba"), 1u);
  EXPECT_EQ(edit_distance("status", "stauts"), 1u);
  EXPECT_EQ(edit_distance("ca", "abc"), 3u);  // optimal string alignment, not full Damerau
  for (auto [a, b] : std::vector<std::pair<std::string, std::string>>{
           {"environment", "enviroment"}, {"git", "npm"}, {"", "x"}, {"abcdef", "badcfe"}})
    EXPECT_EQ(edit_distance(a, b), edit_distance(b, a)) << a << " " << b;
}

TEST(Strings, NearestMatch) {
  const std::vector<std::string> keys = {"mode",    "command", "args",   "environment",
                                         "volumes", "limits",  "source", "docker"};
  EXPECT_EQ(nearest_match("comand", keys), "command");  // a typo
  EXPECT_EQ(nearest_match("evironment", keys), "environment");
  EXPECT_EQ(nearest_match("volumse", keys), "volumes");  // a transposition
  EXPECT_EQ(nearest_match("limit", keys), "limits");
  EXPECT_EQ(nearest_match("sauce", keys), "source");  // short words may be two edits off
  EXPECT_EQ(nearest_match("sorce", {"sauce", "source"}), "source");
  EXPECT_EQ(nearest_match("xyz", keys), std::nullopt);
  EXPECT_EQ(nearest_match("zzzzzz", keys), std::nullopt);  // nothing near
  EXPECT_EQ(nearest_match("image", keys), std::nullopt);
  EXPECT_EQ(nearest_match("anything", {}), std::nullopt);
  // A prefix counts as a near miss, and beats a word two edits away.
  EXPECT_EQ(nearest_match("stat", {"stop", "status"}), "status");
  EXPECT_EQ(nearest_match("env", {"environment"}), "environment");
  EXPECT_EQ(nearest_match("en", {"environment"}), std::nullopt);  // too short to be a prefix
  // The nearest wins, whatever the order; on a tie, the first.
  EXPECT_EQ(nearest_match("dockr", {"docs", "docker"}), "docker");
  EXPECT_EQ(nearest_match("gti", {"git", "npm", "local"}), "git");
  EXPECT_EQ(nearest_match("cat", {"bat", "hat"}), "bat");
  // Exact matches are found too.
  EXPECT_EQ(nearest_match("args", keys), "args");
}

TEST(Strings, Join) {
  EXPECT_EQ(join({}, ", "), "");
  EXPECT_EQ(join({"a"}, ", "), "a");
  EXPECT_EQ(join({"a", "b", "c"}, ", "), "a, b, c");
  EXPECT_EQ(join({"a", "b"}, ""), "ab");
  EXPECT_EQ(join({"", ""}, "|"), "|");
}

}  // namespace
}  // namespace ccmcp
