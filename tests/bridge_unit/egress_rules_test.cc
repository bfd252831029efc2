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

namespace ccmcp::bridge {
namespace {

// A TLS 1.2/1.3 ClientHello record naming `name` (or none), as a client sends it.
std::string client_hello(const std::string& name) {
  auto u16 = [](size_t v) { return std::string{char(v >> 8), char(v & 0xff)}; };
  std::string extensions;
  extensions += u16(0x0017) + u16(0);  // extended master secret, empty
  if (!name.empty()) {
    std::string entry = std::string(1, '\0') + u16(name.size()) + name;
    std::string list = u16(entry.size()) + entry;
    extensions += u16(0) + u16(list.size()) + list;
  }
  std::string body = u16(0x0303) + std::string(32, '\x11') + std::string(1, '\0') +  // no session
                     u16(2) + "\x13\x01" + std::string(1, '\x01') + std::string(1, '\0') +
                     u16(extensions.size()) + extensions;
  std::string handshake = std::string(1, '\x01') + std::string(1, '\0') + u16(body.size()) + body;
  return std::string("\x16\x03\x01", 3) + u16(handshake.size()) + handshake;
}

TEST(TransparentEgress, PortsAndHostsOfTheNamedRules) {
  std::vector<AllowRule> allow;
  for (const char* text :
       {"api.github.com:443", "*.example.com:443", "db.internal:5432", "x.org"}) {
    std::string problem;
    allow.push_back(*parse_allow_rule(text, problem));
  }
  EXPECT_EQ(transparent_ports(allow), (std::vector<int>{80, 443, 5432}));
  EXPECT_EQ(named_hosts_on(allow, 443), (std::vector<std::string>{"api.github.com", "x.org"}));
  EXPECT_EQ(named_hosts_on(allow, 5432), (std::vector<std::string>{"db.internal"}));
  EXPECT_TRUE(named_hosts_on(allow, 22).empty());
}

TEST(TransparentEgress, TheServerNameOfATlsClientHello) {
  std::string hello = client_hello("API.GitHub.com");
  Sniffed sniffed = sniff_destination(hello);
  EXPECT_EQ(sniffed.result, Sniff::name);
  EXPECT_EQ(sniffed.name, "api.github.com");
  // Cut short: more is needed; whole but nameless: none.
  EXPECT_EQ(sniff_destination(hello.substr(0, 3)).result, Sniff::need_more);
  EXPECT_EQ(sniff_destination(hello.substr(0, hello.size() - 4)).result, Sniff::need_more);
  EXPECT_EQ(sniff_destination(client_hello("")).result, Sniff::none);
}

TEST(TransparentEgress, TheHostOfAnHttpRequest) {
  Sniffed sniffed =
      sniff_destination("GET /x HTTP/1.1\r\nAccept: */*\r\nhost: Allowed.Test:8080\r\n\r\n");
  EXPECT_EQ(sniffed.result, Sniff::name);
  EXPECT_EQ(sniffed.name, "allowed.test");
  EXPECT_EQ(sniff_destination("GET /x HTTP/1.1\r\nHost: a").result, Sniff::need_more);
  EXPECT_EQ(sniff_destination("GET /x HTTP/1.1\r\n\r\n").result, Sniff::none);
  EXPECT_EQ(sniff_destination(std::string("\x00\x01", 2)).result, Sniff::none);  // not HTTP or TLS
}

}  // namespace
}  // namespace ccmcp::bridge
