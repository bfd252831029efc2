#include "util/semver.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace ccmcp {
namespace {

int cmp(const std::string& a, const std::string& b) {
  auto x = parse_semver(a), y = parse_semver(b);
  if (!x || !y) ADD_FAILURE() << "cannot parse " << a << " or " << b;
  return x && y ? compare(*x, *y) : 0;
}

TEST(SemVer, ParsesNpmVersions) {
  auto plain = parse_semver("1.2.3");
  ASSERT_TRUE(plain);
  EXPECT_EQ(plain->major, 1u);
  EXPECT_EQ(plain->minor, 2u);
  EXPECT_EQ(plain->patch, 3u);
  EXPECT_TRUE(plain->prerelease.empty());
  EXPECT_TRUE(plain->build.empty());

  auto full = parse_semver("1.2.3-beta.1+build.5");
  ASSERT_TRUE(full);
  EXPECT_EQ(full->prerelease, (std::vector<std::string>{"beta", "1"}));
  EXPECT_EQ(full->build, "build.5");
  EXPECT_EQ(to_string(*full), "1.2.3-beta.1+build.5");

  // What npm's semver.clean accepts around a strict version.
  for (const char* text : {"v1.2.3", "=1.2.3", "=v1.2.3", " 1.2.3\n"})
    EXPECT_EQ(to_string(parse_semver(text).value()), "1.2.3") << text;
  EXPECT_EQ(to_string(parse_semver("0.0.0-0").value()), "0.0.0-0");
  EXPECT_EQ(to_string(parse_semver("10.20.30-rc-1.x-y+exp.sha.5114f85").value()),
            "10.20.30-rc-1.x-y+exp.sha.5114f85");
  EXPECT_EQ(parse_semver("18446744073709551615.0.0").value().major, 18446744073709551615u);
}

TEST(SemVer, RefusesWhatIsNotOneVersion) {
  for (const char* text : {"",
                           "1",
                           "1.2",
                           "1.2.3.4",
                           "01.2.3",
                           "1.02.3",
                           "1.2.03",
                           "1.2.3-",
                           "1.2.3-01",
                           "1.2.3-a..b",
                           "1.2.3+",
                           "1.2.3+a..b",
                           "1.2.3-be$ta",
                           "a.b.c",
                           "-1.2.3",
                           "v",
                           "^1.2.3",
                           "~1.2.3",
                           "1.x.0",
                           "1.2.3 - 2.0.0",
                           ">=1.2.3",
                           "1.2.3 4",
                           "18446744073709551616.0.0",
                           "V1.2.3",
                           "latest",
                           "git+https://github.com/a/b.git#1.2.3"})
    EXPECT_FALSE(parse_semver(text)) << text;
}

TEST(SemVer, OrdersBySpecPrecedence) {
  // The chain of SemVer 2.0 section 11.
  const std::vector<std::string> chain = {"1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-alpha.beta",
                                          "1.0.0-beta",  "1.0.0-beta.2",  "1.0.0-beta.11",
                                          "1.0.0-rc.1",  "1.0.0",         "1.0.1",
                                          "1.1.0",       "1.10.0",        "2.0.0",
                                          "2.1.0",       "2.1.1",         "10.0.0"};
  for (size_t i = 0; i < chain.size(); ++i) {
    EXPECT_EQ(cmp(chain[i], chain[i]), 0) << chain[i];
    for (size_t j = i + 1; j < chain.size(); ++j) {
      EXPECT_LT(cmp(chain[i], chain[j]), 0) << chain[i] << " < " << chain[j];
      EXPECT_GT(cmp(chain[j], chain[i]), 0) << chain[j] << " > " << chain[i];
    }
  }
}

TEST(SemVer, ComparesPrereleaseIdentifiers) {
  EXPECT_LT(cmp("1.0.0-2", "1.0.0-10"), 0);   // numerically, not as text
  EXPECT_LT(cmp("1.0.0-99", "1.0.0-a"), 0);   // numeric below alphanumeric
  EXPECT_LT(cmp("1.0.0-Z", "1.0.0-a"), 0);    // alphanumeric in ASCII order
  EXPECT_LT(cmp("1.0.0-a", "1.0.0-a.0"), 0);  // fewer identifiers first
  EXPECT_GT(cmp("1.0.0-1a", "1.0.0-2"), 0);   // "1a" is alphanumeric: above 2
  EXPECT_LT(cmp("1.0.0-99999999999999999999", "1.0.0-100000000000000000000"), 0);
  EXPECT_LT(cmp("1.2.6-beta", "1.2.6"), 0);
  EXPECT_GT(cmp("1.2.6-beta", "1.2.5"), 0);
}

TEST(SemVer, IgnoresBuildMetadata) {
  EXPECT_EQ(cmp("1.0.0+a", "1.0.0+b"), 0);
  EXPECT_EQ(cmp("1.0.0-rc.1+x", "1.0.0-rc.1"), 0);
  EXPECT_EQ(cmp("v1.2.3", "1.2.3+build.7"), 0);
}

}  // namespace
}  // namespace ccmcp
