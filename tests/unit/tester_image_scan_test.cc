#include "testing/image_scan.h"

#include <gtest/gtest.h>

#include <algorithm>

namespace ccmcp::tester {
namespace {

using Json = nlohmann::json;

Json clean_config() {
  return Json::parse(R"({"Config": {
    "User": "1001:1001", "WorkingDir": "/app",
    "Entrypoint": ["/usr/local/bin/cc-mcp-bridge", "--host", "0.0.0.0", "--port", "3000", "--", "node", "/app/index.js"],
    "ExposedPorts": {"3000/tcp": {}},
    "Env": ["PATH=/usr/bin", "LANG=C.UTF-8"],
    "Labels": {"dev.cc-mcp.bridge": "true", "org.opencontainers.image.version": "1.0.0"}}})");
}

std::vector<std::string> rules(const Findings& findings) {
  std::vector<std::string> out;
  for (const auto& finding : findings)
    out.push_back(finding.rule + " " + to_string(finding.severity) + " " + finding.evidence);
  std::sort(out.begin(), out.end());
  return out;
}

FileEntry dir(std::string path, uint32_t mode) {
  return {std::move(path), FileEntry::Type::directory, mode, 0, 0, 0};
}
FileEntry file(std::string path, uint32_t mode) {
  return {std::move(path), FileEntry::Type::file, mode, 0, 0, 100};
}

TEST(ImageScan, CleanConfigPasses) {
  EXPECT_TRUE(scan_image_config(clean_config()).empty());
  EXPECT_EQ(application_folder(clean_config()), "/app");
  EXPECT_EQ(application_folder(Json::object()), "/app");
}

TEST(ImageScan, ConfigRules) {
  struct Row {
    const char* pointer;
    Json value;
    std::string expected;
  };
  const std::vector<Row> rows = {
      {"/Config/User", "", "image.user fail Config.User"},
      {"/Config/User", "root", "image.user fail Config.User"},
      {"/Config/User", "0:0", "image.user fail Config.User"},
      {"/Config/Entrypoint", Json::parse(R"(["node", "/app/index.js"])"),
       "image.entrypoint fail Config.Entrypoint"},
      {"/Config/Entrypoint", nullptr, "image.entrypoint fail Config.Entrypoint"},
      {"/Config/ExposedPorts", Json::parse(R"({"3000/tcp": {}, "22/tcp": {}})"),
       "image.ports fail Config.ExposedPorts"},
      {"/Config/Env", Json::parse(R"(["AWS_ACCESS_KEY_ID=AKIAZ7QX3M5PLW2RT4NB"])"),
       "image.secret fail ENV AWS_ACCESS_KEY_ID"},
      {"/Config/Env", Json::parse(R"(["DB_PASSWORD=s3cr3t-value-here"])"),
       "image.secret fail ENV DB_PASSWORD"},
      {"/Config/Labels",
       Json::parse(R"({"deploy.token": "ghp_R7x2Lq9WvT4mZc8YbN3kHd6JfP1sA5eU0gXo"})"),
       "image.secret fail LABEL deploy.token"},
  };
  for (const auto& row : rows) {
    Json config = clean_config();
    config[Json::json_pointer(row.pointer)] = row.value;
    EXPECT_EQ(rules(scan_image_config(config)), std::vector<std::string>{row.expected})
        << row.pointer << " = " << row.value.dump();
  }
}

TEST(ImageScan, FileRules) {
  ImageFiles files;
  files.entries = {
      dir("/tmp", 01777),           dir("/var/tmp", 01777),  // warn: a usual sticky temp folder
      dir("/srv/drop", 0777),                                // fail
      dir("/dev/shm", 01777),                                // made by the runtime: not the image's
      dir("/proc", 0555),           dir("/app", 0755),          file("/usr/bin/su", 04755),  // fail
      file("/usr/bin/wall", 02755),                                                          // fail
      file("/usr/bin/env", 0755),   file("/app/index.js", 0644)};
  files.contents = {
      {"/app/index.js", "console.log('hi')"},
      {"/app/keys/id_rsa", "-----BEGIN OPENSSH PRIVATE KEY-----\n" + std::string(70, 'A') + "\n"},
      // outside the application folder: not read for secrets
      {"/usr/lib/node_modules/x/README.md", "token ghp_R7x2Lq9WvT4mZc8YbN3kHd6JfP1sA5eU0gXo"}};
  EXPECT_EQ(rules(scan_image_files(files, "/app")),
            (std::vector<std::string>{
                "image.secret fail /app/keys/id_rsa:1", "image.setuid fail /usr/bin/su",
                "image.setuid fail /usr/bin/wall", "image.world-writable fail /srv/drop",
                "image.world-writable warn /var/tmp"}));
}

TEST(ImageScan, ContentChoice) {
  ContentChoice choice = scan_content_choice("/app");
  EXPECT_TRUE(choice.wanted(file("/app/index.js", 0644)));
  EXPECT_TRUE(choice.wanted(file("/usr/lib/node_modules/npm/package.json", 0644)));
  EXPECT_FALSE(choice.wanted(file("/usr/bin/node", 0755)));
  EXPECT_FALSE(choice.wanted(file("/application/x.js", 0644)));
}

}  // namespace
}  // namespace ccmcp::tester
