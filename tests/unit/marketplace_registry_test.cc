// server.json onto the package format, and the registry client's paging,
// against a fake HTTP client.
#include <gtest/gtest.h>

#include "fake_http.h"
#include "marketplace/registry.h"
#include "marketplace/server_json.h"
#include "util/error.h"

namespace ccmcp::marketplace {
namespace {

using nlohmann::json;

TEST(ServerJson, ShortNamesAreUsableServerNames) {
  EXPECT_EQ(short_name("io.github.owner/Weather_API"), "weather_api");
  EXPECT_EQ(short_name("io.github.owner/my server!"), "my-server-");
  EXPECT_EQ(short_name("plain"), "plain");
  EXPECT_EQ(short_name("a/-.x"), "x");
  EXPECT_EQ(short_name("a/" + std::string(80, 'b')).size(), 63u);
}

TEST(ServerJson, MapsTheNpmPackageItsVariablesAndArguments) {
  json server = json::parse(R"({
    "$schema": "https://static.modelcontextprotocol.io/schemas/2025-12-11/server.schema.json",
    "name": "io.github.owner/weather", "title": "Weather", "description": "Forecasts",
    "version": "1.2.0",
    "repository": {"url": "https://github.com/owner/weather", "source": "github"},
    "packages": [
      {"registryType": "pypi", "identifier": "weather-py", "version": "1.2.0",
       "transport": {"type": "stdio"}},
      {"registryType": "npm", "identifier": "@owner/weather", "version": "1.2.1",
       "transport": {"type": "stdio"},
       "environmentVariables": [{"name": "API_KEY", "description": "key", "isRequired": true,
                                 "isSecret": true},
                                {"name": "UNITS", "default": "metric"}],
       "packageArguments": [{"type": "positional", "value": "--stdio"},
                            {"type": "named", "name": "--units", "default": "si"},
                            {"type": "positional", "valueHint": "only a hint"}]},
      {"registryType": "npm", "identifier": "@owner/weather-http", "version": "1.2.1",
       "transport": {"type": "streamable-http", "url": "http://localhost:3000/mcp"}}],
    "remotes": [{"type": "streamable-http", "url": "https://weather.example/mcp"}]})");
  std::vector<config::Diagnostic> diagnostics;
  auto package = package_from_server_json(server, "catalog r", diagnostics);
  ASSERT_TRUE(package) << diagnostics[0].format();
  EXPECT_EQ(package->name, "weather");
  EXPECT_EQ(package->registry_name, "io.github.owner/weather");
  EXPECT_EQ(package->server_version, "1.2.0");
  EXPECT_EQ(package->version, "1.2.1");  // the package's, what npm installs
  EXPECT_EQ(package->source.type, "npm");
  EXPECT_EQ(package->source.url, "@owner/weather");
  EXPECT_EQ(package->author, "owner");
  EXPECT_EQ(package->args, (std::vector<std::string>{"--stdio", "--units", "si"}));
  ASSERT_EQ(package->variables.size(), 2u);
  EXPECT_TRUE(package->variables[0].required && package->variables[0].secret);
  EXPECT_EQ(package->variables[1].default_value, "metric");
  EXPECT_EQ(package->remotes,
            (std::vector<std::string>{"https://weather.example/mcp (streamable-http)"}));
}

TEST(ServerJson, HostedOciAndBrokenDocuments) {
  std::vector<config::Diagnostic> diagnostics;
  auto hosted = package_from_server_json(
      json::parse(R"({"name": "a/hosted", "description": "d", "version": "1",
                      "remotes": [{"type": "sse", "url": "https://h/sse"}]})"),
      "r", diagnostics);
  ASSERT_TRUE(hosted);
  EXPECT_TRUE(hosted->source.type.empty());
  auto oci =
      package_from_server_json(json::parse(R"({"name": "a/img", "description": "d", "version": "1",
                      "packages": [{"registryType": "oci",
                                    "identifier": "docker.io/a/img:1.0.0"}]})"),
                               "r", diagnostics);
  ASSERT_TRUE(oci);
  EXPECT_EQ(oci->source.type, "docker");
  EXPECT_EQ(oci->source.url, "docker.io/a/img:1.0.0");
  EXPECT_TRUE(oci->version.empty());
  EXPECT_TRUE(diagnostics.empty());
  EXPECT_FALSE(package_from_server_json(json::parse(R"({"description": "d", "version": "1"})"), "r",
                                        diagnostics));
  EXPECT_FALSE(package_from_server_json(json::parse(R"({"name": "a/b", "version": "1"})"), "r",
                                        diagnostics));
  EXPECT_FALSE(package_from_server_json(json::parse("[1]"), "r", diagnostics));
  EXPECT_EQ(diagnostics.size(), 3u);
}

std::string page(const std::vector<std::string>& names, const std::string& next,
                 bool older = false) {
  json servers = json::array();
  for (const auto& name : names)
    servers.push_back(
        {{"server", {{"name", name}, {"description", "d"}, {"version", "1"}}},
         {"_meta", {{"io.modelcontextprotocol.registry/official", {{"isLatest", !older}}}}}});
  return json{
      {"servers", servers},
      {"metadata",
       {{"count", names.size()}, {"nextCursor", next.empty() ? json(nullptr) : json(next)}}}}
      .dump();
}

TEST(RegistryClient, WalksEveryPageByCursorAndDropsOlderVersions) {
  testing::FakeHttp http;
  http.route("GET /v0.1/servers?limit=100", 200, page({"a/one", "a/two"}, "a/two:1"));
  http.route("GET /v0.1/servers?limit=100&cursor=a%2Ftwo%3A1", 200, page({"a/old"}, "x", true));
  http.route("GET /v0.1/servers?limit=100&cursor=x", 200, page({"a/three"}, ""));
  RegistryClient client(http, "http://127.0.0.1:9/");
  auto servers = client.list_all();
  ASSERT_EQ(servers.size(), 3u);
  EXPECT_EQ(servers[2]["name"], "a/three");
  EXPECT_EQ(http.sent().size(), 3u);
}

TEST(RegistryClient, RefusesWhatIsNotTheApi) {
  testing::FakeHttp http;
  RegistryClient client(http, "http://127.0.0.1:9");
  EXPECT_THROW(client.list_all(), Error);  // 404
  http.route("GET /v0.1/servers?limit=100", 200, "<html>");
  EXPECT_THROW(client.list_all(), Error);
  http.route("GET /v0.1/servers?limit=100", 200, R"({"items": []})");
  EXPECT_THROW(client.list_all(), Error);
  http.route("GET /v0.1/servers?limit=100", 200, page({"a/one"}, "again"));
  http.route("GET /v0.1/servers?limit=100&cursor=again", 200, page({"a/two"}, "again"));
  try {
    client.list_all();
    ADD_FAILURE();
  } catch (const Error& error) {
    EXPECT_NE(error.problem().find("twice"), std::string::npos) << error.problem();
  }
  http.fail_with(net::HttpFailure::cannot_connect);
  EXPECT_THROW(client.list_all(), Error);
}

TEST(RegistryClient, AsksForOneVersionOfOneServer) {
  testing::FakeHttp http;
  http.route("GET /v0.1/servers/io.github.o%2Fx/versions/latest", 200,
             R"({"server": {"name": "io.github.o/x", "description": "d", "version": "2"}})");
  RegistryClient client(http, "http://127.0.0.1:9");
  auto server = client.server("io.github.o/x");
  ASSERT_TRUE(server);
  EXPECT_EQ((*server)["version"], "2");
  EXPECT_FALSE(client.server("io.github.o/x", "1"));
}

TEST(RegistryCache, AgeText) {
  EXPECT_EQ(age_text(5), "just now");
  EXPECT_EQ(age_text(125), "2 min ago");
  EXPECT_EQ(age_text(3 * 3600 + 5), "3 h ago");
  EXPECT_EQ(age_text(3 * 86400), "3 days ago");
}

}  // namespace
}  // namespace ccmcp::marketplace
