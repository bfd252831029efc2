#include "testing/secret_scan.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace ccmcp::tester {
namespace {

std::string key_block(const std::string& label, const std::string& newline) {
  std::string text = "-----BEGIN " + label + "-----" + newline;
  for (int line = 0; line < 3; ++line)
    text += "MIIEpAIBAAKCAQEA1c7+9z5Pad7OejecsQ0bu3aozN3tihPmljnnudb9G3HECdnH" + newline;
  return text + "-----END " + label + "-----" + newline;
}

TEST(SecretScan, FindsRealShapes) {
  struct Row {
    std::string text;
    std::string kind;
  };
  const std::vector<Row> dirty = {
      {key_block("RSA PRIVATE KEY", "\n"), "RSA PRIVATE KEY"},
      {key_block("OPENSSH PRIVATE KEY", "\r\n"), "OPENSSH PRIVATE KEY"},
      {"const key = \"" + key_block("PRIVATE KEY", "\\n") + "\";", "PRIVATE KEY"},
      {"aws_access_key_id = AKIAZ7QX3M5PLW2RT4NB", "AWS access key id"},
      {"token: ghp_R7x2Lq9WvT4mZc8YbN3kHd6JfP1sA5eU0gXo", "GitHub personal access token"},
      {"SLACK=xoxb-1234567890-0987654321-AbCdEfGhIjKlMnOp", "Slack bot token"},
      {"key=AIzaSyD4k9x2Q7m1L0pWzR8tV3bN6cY5hJ2fG1s", "Google API key"},
      {"sk_live_4eC39HqLyjWDarjtT1zdp7dc9X", "Stripe secret key"},
      {"ANTHROPIC_API_KEY=sk-ant-api03-abcdefghijklmnopqrstuvwxyz012345", "Anthropic API key"},
      {"//registry.npmjs.org/:_authToken=npm_a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8",
       "npm access token"},
  };
  for (const auto& row : dirty) {
    auto found = find_secrets(row.text);
    ASSERT_EQ(found.size(), 1u) << row.text;
    EXPECT_EQ(found[0].kind, row.kind) << row.text;
  }
  // A token is shown masked, never whole.
  auto token = find_secrets("ghp_R7x2Lq9WvT4mZc8YbN3kHd6JfP1sA5eU0gXo");
  ASSERT_EQ(token.size(), 1u);
  EXPECT_EQ(token[0].excerpt, "ghp_R7…(40 chars)");
}

TEST(SecretScan, LeavesLookAlikesAlone) {
  const std::vector<std::string> clean = {
      // code that writes PEM, as jose and node-forge do
      "return `-----BEGIN PRIVATE KEY-----\\n${base64}\\n-----END PRIVATE KEY-----`;",
      "-----BEGIN PUBLIC KEY-----\nMIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA1c7+9z5Pad7Oejec\n",
      "if (/-----BEGIN (RSA )?PRIVATE KEY-----/.test(text))",
      "AKIAIOSFODNN7EXAMPLE",           // AWS's documentation key
      "AKIAXXXXXXXXXXXXXXXX",           // a placeholder
      "AKIAZ7QX3M5PLW2RT4NBEXTRA",      // too long to be a key id
      "xAKIAZ7QX3M5PLW2RT4NB",          // inside another word
      "ghp_short",                      // too short
      "the sk-ant- prefix names keys",  // no key after it
      "const npm_config = require('npm_config_cache');",
  };
  for (const auto& text : clean) EXPECT_TRUE(find_secrets(text).empty()) << text;
}

TEST(SecretScan, Settings) {
  EXPECT_EQ(
      scan_setting("GITHUB_TOKEN", "ghp_R7x2Lq9WvT4mZc8YbN3kHd6JfP1sA5eU0gXo", "ENV X").size(), 1u);
  EXPECT_EQ(scan_setting("DB_PASSWORD", "hunter2hunter2", "ENV DB_PASSWORD").size(), 1u);
  EXPECT_EQ(scan_setting("API_KEY", "c2VjcmV0LXZhbHVlLTEyMzQ1", "LABEL api_key").size(), 1u);
  // not secrets: other names, empty values, references and stand-ins
  for (auto [key, value] :
       std::vector<std::pair<std::string, std::string>>{{"NODE_VERSION", "18.19.0-long-enough"},
                                                        {"PATH", "/usr/local/bin:/usr/bin"},
                                                        {"GITHUB_TOKEN", ""},
                                                        {"GITHUB_TOKEN", "${GITHUB_TOKEN}"},
                                                        {"API_KEY", "<your-api-key>"},
                                                        {"API_KEY", "changeme-please"},
                                                        {"TOKEN_FILE", "/run/secrets/token"},
                                                        {"PASSWORD", "short"}})
    EXPECT_TRUE(scan_setting(key, value, "ENV " + key).empty()) << key << "=" << value;
}

TEST(SecretScan, Files) {
  auto findings = scan_file_for_secrets(
      "/app/config.js", "x = 1;\nconst t = 'ghp_R7x2Lq9WvT4mZc8YbN3kHd6JfP1sA5eU0gXo';\n");
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].evidence, "/app/config.js:2");
  EXPECT_EQ(findings[0].rule, "image.secret");
  EXPECT_EQ(findings[0].severity, Severity::fail);
  // the application's .env is read as settings; a dependency's is not
  std::string env =
      "# local settings\nPORT=3000\nexport OPENAI_API_KEY=\"c2VjcmV0LXZhbHVlLTEyMzQ1\"\n";
  findings = scan_file_for_secrets("/app/.env", env);
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].evidence, "/app/.env:3");
  EXPECT_TRUE(scan_file_for_secrets("/app/node_modules/dotenv/.env", env).empty());
  EXPECT_EQ(
      scan_file_for_secrets("/app/.npmrc", "//registry.example/:_authToken=abcdef0123456789\n")
          .size(),
      1u);
  // binaries are skipped
  std::string binary("ELF\0\0ghp_R7x2Lq9WvT4mZc8YbN3kHd6JfP1sA5eU0gXo", 46);
  EXPECT_TRUE(scan_file_for_secrets("/app/a.node", binary).empty());
}

}  // namespace
}  // namespace ccmcp::tester
