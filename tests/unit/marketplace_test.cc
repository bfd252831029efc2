#include <gtest/gtest.h>

#include <set>

#include "marketplace/embedded_catalog.h"
#include "marketplace/package.h"
#include "marketplace/search.h"

namespace ccmcp::marketplace {
namespace {

std::vector<Package> read(const std::string& text, std::vector<config::Diagnostic>& diagnostics) {
  return read_packages(text, "cat.json", diagnostics);
}

TEST(MarketplacePackage, ReadsTheSeedFormat) {
  std::vector<config::Diagnostic> diagnostics;
  auto packages = read(R"({
    "name": "pg", "title": "PostgreSQL", "version": "1.0.0", "description": "SQL",
    "author": "A", "keywords": ["db"],
    "source": {"type": "npm", "url": "@a/pg"},
    "docker": {"baseImage": "node:20", "buildArgs": {"X": "1"}},
    "config": {"volumes": {"./d": "/d"}, "environment": {"MODE": "ro"}, "args": ["--x"],
               "ports": [5432], "capabilities": ["tools"]},
    "environmentVariables": [{"name": "PGPASSWORD", "isRequired": true, "isSecret": true}],
    "tests": {"calls": [{"tool": "query", "arguments": {}}]},
    "security": {"permissions": ["network:db"], "sandbox": "strict"},
    "versions": ["1.0.0"], "minVersion": "0.1.0", "rating": 4.5, "ratingCount": 3,
    "someFutureKey": {"ignored": true}})",
                       diagnostics);
  ASSERT_TRUE(diagnostics.empty()) << diagnostics[0].format();
  ASSERT_EQ(packages.size(), 1u);
  const Package& p = packages[0];
  EXPECT_EQ(p.source.url, "@a/pg");
  EXPECT_EQ(p.volumes, (config::StringPairs{{"./d", "/d"}}));
  EXPECT_EQ(p.ports, std::vector<int>{5432});
  ASSERT_EQ(p.variables.size(), 1u);
  EXPECT_TRUE(p.variables[0].required && p.variables[0].secret);
  EXPECT_EQ(*p.rating, 4.5);
  EXPECT_EQ(p.tests["calls"][0]["tool"], "query");
  EXPECT_EQ(p.line, 1);
}

TEST(MarketplacePackage, ProblemsNameLineAndKeyAndSpareTheOthers) {
  std::vector<config::Diagnostic> diagnostics;
  auto packages = read(R"([
  {"name": "good", "description": "d", "source": {"type": "npm", "url": "x"}},
  {"name": "bad", "description": "d",
   "source": {"type": "svn", "url": "x"}, "rating": 9},
  {"description": "no name", "source": {"type": "npm", "url": "x"}},
  {"name": "also good", "description": "d", "source": {"type": "git", "url": "https://x"}}
])",
                       diagnostics);
  ASSERT_EQ(packages.size(), 1u);  // "also good" is not a usable name
  EXPECT_EQ(packages[0].name, "good");
  ASSERT_EQ(diagnostics.size(), 4u);
  EXPECT_EQ(diagnostics[0].format(),
            "cat.json:4:23: [1].source.type: \"svn\" is not a source type (npm, git or docker)");
  EXPECT_EQ(diagnostics[1].format(), "cat.json:4:53: [1].rating: must be a number from 0 to 5");
  EXPECT_EQ(diagnostics[2].format(),
            "cat.json:5:3: [2]: has no \"name\" (every package needs one)");
  EXPECT_EQ(diagnostics[3].path, "[3].name");
}

TEST(MarketplacePackage, ABrokenFileIsOneDiagnostic) {
  std::vector<config::Diagnostic> diagnostics;
  EXPECT_TRUE(read("{\"name\": ", diagnostics).empty());
  ASSERT_EQ(diagnostics.size(), 1u);
  EXPECT_EQ(diagnostics[0].file, "cat.json");
}

TEST(MarketplaceEmbedded, TwentyRealNpmServersWithoutProblemsOrRatings) {
  std::vector<config::Diagnostic> diagnostics;
  auto packages = read_packages(embedded_catalog_text(), "(embedded)", diagnostics);
  EXPECT_TRUE(diagnostics.empty()) << diagnostics[0].format();
  EXPECT_GE(packages.size(), 20u);
  std::set<std::string> names;
  for (const auto& p : packages) {
    EXPECT_EQ(p.source.type, "npm") << p.name;
    EXPECT_FALSE(p.rating) << p.name;  // never invented
    EXPECT_TRUE(names.insert(p.name).second) << "twice: " << p.name;
  }
  for (const char* name : {"filesystem", "memory", "everything", "sequential-thinking"})
    EXPECT_TRUE(names.count(name)) << name;
}

TEST(MarketplaceSearch, ExactNameFirstEveryWordMustMatch) {
  std::vector<config::Diagnostic> diagnostics;
  auto packages = read(R"([
  {"name": "memory-extra", "description": "more memory", "source": {"type": "npm", "url": "a"}},
  {"name": "notes", "description": "memory for notes", "keywords": ["memory"],
   "source": {"type": "npm", "url": "b"}},
  {"name": "memory", "description": "a knowledge graph", "source": {"type": "npm", "url": "c"}},
  {"name": "other", "description": "unrelated", "source": {"type": "npm", "url": "d"}}
])",
                       diagnostics);
  auto hits = search_packages(packages, "Memory");
  ASSERT_EQ(hits.size(), 3u);
  EXPECT_EQ(hits[0].package->name, "memory");
  EXPECT_EQ(hits[1].package->name, "memory-extra");
  EXPECT_EQ(hits[2].package->name, "notes");
  EXPECT_EQ(search_packages(packages, "memory graph").size(), 1u);
  auto all = search_packages(packages, " ");
  ASSERT_EQ(all.size(), 4u);  // no words: every package, by name
  EXPECT_EQ(all[0].package->name, "memory");
  EXPECT_EQ(all[3].package->name, "other");
  EXPECT_TRUE(search_packages(packages, "nothing-here").empty());
}

}  // namespace
}  // namespace ccmcp::marketplace
