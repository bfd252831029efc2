#include "bridge/egress_rules.h"

#include <gtest/gtest.h>

namespace ccmcp::bridge {
namespace {

std::vector<AllowRule> rules(std::initializer_list<const char*> texts) {
  std::vector<AllowRule> out;
  for (const char* text : texts) {
    std::string problem;
    auto rule = parse_allow_rule(text, problem);
    EXPECT_TRUE(rule) << text << ": " << problem;
    if (rule) out.push_back(*rule);
  }
  return out;
}

TEST(EgressRules, HostAndPortMatchExactlyWithoutCase) {
  auto allow = rules({"api.github.com:443"});
  EXPECT_TRUE(is_allowed(allow, "api.github.com", 443));
  EXPECT_TRUE(is_allowed(allow, "API.GitHub.com.", 443));
  EXPECT_FALSE(is_allowed(allow, "api.github.com", 80));
  EXPECT_FALSE(is_allowed(allow, "github.com", 443));
  EXPECT_FALSE(is_allowed(allow, "api.github.com.evil.org", 443));
  EXPECT_FALSE(is_allowed(allow, "xapi.github.com", 443));
}

TEST(EgressRules, AHostAloneMeansItsWebPorts) {
  auto allow = rules({"example.org"});
  EXPECT_TRUE(is_allowed(allow, "example.org", 443));
  EXPECT_TRUE(is_allowed(allow, "example.org", 80));
  EXPECT_FALSE(is_allowed(allow, "example.org", 22));
}

TEST(EgressRules, AWildcardCoversNamesUnderItButNotItself) {
  auto allow = rules({"*.example.com:443"});
  EXPECT_TRUE(is_allowed(allow, "a.example.com", 443));
  EXPECT_TRUE(is_allowed(allow, "a.b.example.com", 443));
  EXPECT_FALSE(is_allowed(allow, "example.com", 443));
  EXPECT_FALSE(is_allowed(allow, "badexample.com", 443));
  EXPECT_FALSE(is_allowed(allow, "a.example.com", 8443));
}

TEST(EgressRules, AddressesOnlyWhenNamed) {
  auto allow = rules({"10.0.0.5:5432", "[::1]:8080"});
  EXPECT_TRUE(is_allowed(allow, "10.0.0.5", 5432));
  EXPECT_TRUE(is_allowed(allow, "::1", 8080));
  EXPECT_FALSE(is_allowed(allow, "10.0.0.6", 5432));
  EXPECT_FALSE(is_allowed({}, "api.github.com", 443));
}

TEST(EgressRules, MalformedRulesAreRefusedWithTheReason) {
  for (const char* text : {"", ":443", "host:0", "host:65536", "host:x", "a b:443", "*:443",
                           "*.:443", "a.*.com:443", "http://x.com", "[::1"}) {
    std::string problem;
    EXPECT_FALSE(parse_allow_rule(text, problem)) << text;
    EXPECT_NE(problem.find("is not a host[:port]"), std::string::npos) << text << ": " << problem;
  }
}

TEST(EgressRules, ConnectRequests) {
  std::string problem;
  auto request = parse_proxy_request(
      "CONNECT api.github.com:443 HTTP/1.1\r\nHost: api.github.com:443\r\n\r\n", problem);
  ASSERT_TRUE(request) << problem;
  EXPECT_TRUE(request->tunnel);
  EXPECT_EQ(request->host, "api.github.com");
  EXPECT_EQ(request->port, 443);
  EXPECT_FALSE(parse_proxy_request("CONNECT api.github.com HTTP/1.1\r\n\r\n", problem));
  EXPECT_NE(problem.find("CONNECT needs host:port"), std::string::npos) << problem;
}

TEST(EgressRules, PlainHttpRequestsAreRewrittenForTheOrigin) {
  std::string problem;
  auto request = parse_proxy_request(
      "GET http://Example.org:8080/a/b?c=1 HTTP/1.1\r\nHost: example.org:8080\r\n"
      "Proxy-Connection: keep-alive\r\nProxy-Authorization: Basic eA==\r\n"
      "Connection: keep-alive\r\nAccept: */*\r\n\r\n",
      problem);
  ASSERT_TRUE(request) << problem;
  EXPECT_FALSE(request->tunnel);
  EXPECT_EQ(request->host, "example.org");
  EXPECT_EQ(request->port, 8080);
  EXPECT_EQ(request->origin_head,
            "GET /a/b?c=1 HTTP/1.1\r\nHost: example.org:8080\r\nAccept: */*\r\n"
            "Connection: close\r\n\r\n");

  request = parse_proxy_request("GET http://example.org HTTP/1.0\r\n\r\n", problem);
  ASSERT_TRUE(request) << problem;
  EXPECT_EQ(request->port, 80);
  EXPECT_EQ(request->origin_head, "GET / HTTP/1.0\r\nConnection: close\r\n\r\n");
}

TEST(EgressRules, RequestsAProxyDoesNotServe) {
  std::string problem;
  EXPECT_FALSE(parse_proxy_request("GET /x HTTP/1.1\r\nHost: a\r\n\r\n", problem));
  EXPECT_NE(problem.find("absolute http:// URL or CONNECT"), std::string::npos) << problem;
  EXPECT_FALSE(parse_proxy_request("GET https://a.com/ HTTP/1.1\r\n\r\n", problem));
  EXPECT_NE(problem.find("goes through CONNECT"), std::string::npos) << problem;
  EXPECT_FALSE(parse_proxy_request("GET http://user@a.com/ HTTP/1.1\r\n\r\n", problem));
  EXPECT_FALSE(parse_proxy_request("nonsense\r\n\r\n", problem));
  EXPECT_FALSE(parse_proxy_request("no line end", problem));
}

}  // namespace
}  // namespace ccmcp::bridge
