// The secret store (encrypted at rest, bound to server and key), the
// "${secret:KEY}" references, their resolution and the redaction of logs.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "config/model.h"
#include "secrets/reference.h"
#include "secrets/resolve.h"
#include "secrets/store.h"
#include "test_util.h"
#include "util/error.h"
#include "util/redact.h"

namespace ccmcp::secrets {
namespace {

using ccmcp::testing::file_mode;
using ccmcp::testing::read_file;
using ccmcp::testing::TempDir;
using ccmcp::testing::write_file;

TEST(SecretStore, RoundTripAndNothingInTheClear) {
  TempDir dir;
  config::Home home{dir.path()};
  SecretStore store(home);
  store.set("github", "TOKEN", "ghp-very-secret-value");
  store.set("github", "OTHER", "second");
  store.set("slack", "TOKEN", "xoxb-1");
  EXPECT_EQ(store.get("github", "TOKEN"), "ghp-very-secret-value");
  EXPECT_EQ(store.get("slack", "TOKEN"), "xoxb-1");
  EXPECT_EQ(store.get("slack", "NONE"), std::nullopt);
  SecretNames names = store.names();
  EXPECT_EQ(names["github"], (std::vector<std::string>{"OTHER", "TOKEN"}));
  EXPECT_EQ(read_file(store_file(home)).find("ghp-very-secret-value"), std::string::npos);
  EXPECT_EQ(file_mode(key_file(home)), 0600u);
  EXPECT_EQ(file_mode(store_file(home)), 0600u);
  EXPECT_EQ(file_mode(secrets_dir(home)), 0700u);

  // Another store object (another process) reads the same.
  SecretStore again(home);
  EXPECT_EQ(again.get("github", "TOKEN"), "ghp-very-secret-value");
  store.set("github", "TOKEN", "changed");
  EXPECT_EQ(SecretStore(home).get("github", "TOKEN"), "changed");

  EXPECT_TRUE(store.remove("github", "TOKEN"));
  EXPECT_FALSE(store.remove("github", "TOKEN"));
  EXPECT_EQ(store.remove_server("github"), 1u);
  EXPECT_EQ(store.remove_server("github"), 0u);
  EXPECT_EQ(store.names().count("github"), 0u);
}

TEST(SecretStore, WrongKeyIsRefused) {
  TempDir dir;
  config::Home home{dir.path()};
  SecretStore(home).set("s", "K", "value");
  write_file(key_file(home), std::string(32, 'x'));
  EXPECT_THROW(SecretStore(home).get("s", "K"), Error);
}

TEST(SecretStore, MissingKeyFileIsRefused) {
  TempDir dir;
  config::Home home{dir.path()};
  SecretStore(home).set("s", "K", "value");
  std::filesystem::remove(key_file(home));
  try {
    SecretStore(home).get("s", "K");
    FAIL() << "no error";
  } catch (const Error& error) {
    EXPECT_NE(error.problem().find("is missing"), std::string::npos) << error.message();
  }
}

TEST(SecretStore, CorruptFilesAreRefused) {
  TempDir dir;
  config::Home home{dir.path()};
  SecretStore(home).set("s", "K", "value");
  write_file(store_file(home), "{not json");
  EXPECT_THROW(SecretStore(home).names(), Error);
  EXPECT_THROW(SecretStore(home).get("s", "K"), Error);

  write_file(store_file(home), R"({"version": 1, "servers": {"s": {"K": "AAAA"}}})");
  EXPECT_THROW(SecretStore(home).get("s", "K"), Error);
}

TEST(SecretStore, AValueMovedToAnotherNameDoesNotOpen) {
  TempDir dir;
  config::Home home{dir.path()};
  SecretStore store(home);
  store.set("a", "K", "for-a");
  store.set("b", "K", "for-b");
  auto file = nlohmann::json::parse(read_file(store_file(home)));
  file["servers"]["b"]["K"] = file["servers"]["a"]["K"];
  write_file(store_file(home), file.dump());
  EXPECT_EQ(SecretStore(home).get("a", "K"), "for-a");
  EXPECT_THROW(SecretStore(home).get("b", "K"), Error);
}

TEST(SecretReference, Parsing) {
  EXPECT_EQ(parse_references("${secret:TOKEN}").keys, (std::vector<std::string>{"TOKEN"}));
  auto two = parse_references("Bearer ${secret:A_1} and ${secret:_b}");
  EXPECT_FALSE(two.problem);
  EXPECT_EQ(two.keys, (std::vector<std::string>{"A_1", "_b"}));
  EXPECT_TRUE(parse_references("plain $HOME ${HOME}").keys.empty());
  EXPECT_FALSE(parse_references("plain $HOME ${HOME}").problem);
  EXPECT_TRUE(parse_references("${secret:TOKEN").problem);
  EXPECT_TRUE(parse_references("${secret:}").problem);
  EXPECT_TRUE(parse_references("${secret:1ABC}").problem);
  EXPECT_TRUE(parse_references("${secret:A-B}").problem);
  EXPECT_TRUE(has_references("x${secret:A}"));
  EXPECT_FALSE(has_references("x${A}"));
  EXPECT_EQ(substitute("Bearer ${secret:A}/${secret:B}!",
                       [](const std::string& key) { return "<" + key + ">"; }),
            "Bearer <A>/<B>!");
  EXPECT_TRUE(is_secret_key("_A9"));
  EXPECT_FALSE(is_secret_key("9A"));
  EXPECT_FALSE(is_secret_key(""));
}

TEST(SecretResolve, PutsValuesInAndRefusesMissingOnes) {
  TempDir dir;
  config::Home home{dir.path()};
  config::Server server;
  server.name = "gh";
  server.environment = {{"MODE", "x"}, {"AUTH", "Bearer ${secret:TOKEN}"}};
  try {
    check_secrets_set(home, server);
    FAIL() << "no error";
  } catch (const Error& error) {
    EXPECT_EQ(error.message(), "\"gh\": secret \"TOKEN\" is not set (cc-mcp secret set gh TOKEN)");
  }
  SecretStore(home).set("gh", "TOKEN", "t0k");
  ResolvedEnvironment resolved = resolve_environment(home, server);
  EXPECT_EQ(resolved.plain, (config::StringPairs{{"MODE", "x"}}));
  EXPECT_EQ(resolved.secret, (config::StringPairs{{"AUTH", "Bearer t0k"}}));
  EXPECT_EQ(resolved.values, (std::vector<std::string>{"t0k"}));
  EXPECT_EQ(resolved.digest.find("t0k"), std::string::npos);
  std::string before = resolved.digest;
  EXPECT_EQ(resolve_environment(home, server).digest, before);
  SecretStore(home).set("gh", "TOKEN", "t0k2");
  EXPECT_NE(resolve_environment(home, server).digest, before);
}

TEST(Redactor, MasksEveryOccurrenceLongestFirst) {
  Redactor redactor({"abc", "abcdef", ""});
  EXPECT_EQ(redactor.apply("x abcdef y abc abc"), "x *** y *** ***");
  EXPECT_EQ(redactor.apply("nothing here"), "nothing here");
  EXPECT_TRUE(Redactor({""}).empty());
}

}  // namespace
}  // namespace ccmcp::secrets
