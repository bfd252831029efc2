// The pure parts of check-updates: times in the state, the newest tag of a
// remote, and the verdict for a current image against what a source offers.
#include <gtest/gtest.h>

#include "updates/check.h"
#include "updates/clock.h"
#include "updates/latest.h"

namespace ccmcp::updates {
namespace {

using std::chrono::hours;
using std::chrono::minutes;
using std::chrono::seconds;

TEST(UpdatesClock, Rfc3339RoundTrips) {
  auto when = parse_rfc3339("2026-12-07T14:10:38Z");
  ASSERT_TRUE(when);
  EXPECT_EQ(to_rfc3339(*when), "2026-12-07T14:10:38Z");
  EXPECT_EQ(std::chrono::system_clock::to_time_t(*when), 1796652638);
}

TEST(UpdatesClock, Rfc3339RejectsOtherForms) {
  for (const char* text :
       {"", "2026-12-07", "2026-12-07T14:10:38", "2026-12-07 14:10:38Z", "2026-13-07T14:10:38Z",
        "2026-12-07T25:10:38Z", "x2026-12-07T14:10:38Z", "2026-12-07T14:10:38+01:00"})
    EXPECT_FALSE(parse_rfc3339(text)) << text;
}

TEST(UpdatesClock, AgesForTables) {
  FakeClock clock(*parse_rfc3339("2026-12-07T12:00:00Z"));
  TimePoint then = clock.now();
  EXPECT_EQ(describe_age(then, clock.now()), "just now");
  clock.advance(seconds(42));
  EXPECT_EQ(describe_age(then, clock.now()), "42s ago");
  clock.advance(minutes(5));
  EXPECT_EQ(describe_age(then, clock.now()), "5m ago");
  clock.advance(hours(3));
  EXPECT_EQ(describe_age(then, clock.now()), "3h ago");
  clock.advance(hours(24 * 3));
  EXPECT_EQ(describe_age(then, clock.now()), "3d ago");
  // a clock set back a little is not "-3s ago"
  EXPECT_EQ(describe_age(clock.now() + seconds(3), clock.now()), "just now");
}

TEST(UpdatesLatest, NewestTagBySemVerThenByName) {
  EXPECT_EQ(newest_tag({}), std::nullopt);
  EXPECT_EQ(newest_tag({{"v1.9.2", "a"}, {"v1.10.0", "b"}, {"v1.10.0-rc.1", "c"}}), "v1.10.0");
  EXPECT_EQ(newest_tag({{"2.0.0-beta.1", "a"}, {"1.9.9", "b"}}), "2.0.0-beta.1");
  // versions win over other names
  EXPECT_EQ(newest_tag({{"zzz-nightly", "a"}, {"v0.1.0", "b"}}), "v0.1.0");
  // no versions: digits by value
  EXPECT_EQ(newest_tag({{"v9", "a"}, {"v10", "b"}, {"v2", "c"}}), "v10");
  EXPECT_EQ(newest_tag({{"release-2024-09", "a"}, {"release-2024-10", "b"}}), "release-2024-10");
  EXPECT_EQ(newest_tag({{"v1", "a"}, {"v01", "b"}, {"v1a", "c"}}), "v1a");
}

CurrentVersion built(std::string version, std::string commit = {}) {
  CurrentVersion current;
  current.built = true;
  current.version = std::move(version);
  current.commit = std::move(commit);
  return current;
}

LatestVersion offered(std::string version, std::string commit = {}) {
  LatestVersion latest;
  latest.version = std::move(version);
  latest.commit = std::move(commit);
  return latest;
}

LatestVersion pinned(std::string version, std::string pin) {
  LatestVersion latest = offered(std::move(version));
  latest.pinned = true;
  latest.pinned_to = std::move(pin);
  return latest;
}

TEST(UpdatesVerdict, NpmVersionsBySemVer) {
  EXPECT_EQ(decide("npm", built("2026.7.10"), offered("2026.8.31")), Verdict::available);
  EXPECT_EQ(decide("npm", built("2026.8.31"), offered("2026.8.31")), Verdict::up_to_date);
  // an image newer than the registry's latest (a pre-release asked for) is kept
  EXPECT_EQ(decide("npm", built("3.0.0-beta.1"), offered("2.9.0")), Verdict::up_to_date);
  EXPECT_EQ(decide("npm", built("1.0.0"), offered("1.0.1-rc.1")), Verdict::available);
}

TEST(UpdatesVerdict, GitByCommit) {
  std::string a(40, 'a'), b(40, 'b');
  EXPECT_EQ(decide("git", built("aaaaaaaaaaaa", a), offered("bbbbbbbbbbbb", b)),
            Verdict::available);
  EXPECT_EQ(decide("git", built("aaaaaaaaaaaa", a), offered("aaaaaaaaaaaa", a)),
            Verdict::up_to_date);
  // a force-push back to an older commit is a change too: commits do not order
  EXPECT_EQ(decide("git", built("bbbbbbbbbbbb", b), offered("aaaaaaaaaaaa", a)),
            Verdict::available);
}

TEST(UpdatesVerdict, LocalByDigest) {
  EXPECT_EQ(decide("local", built("sha-0123456789ab"), offered("sha-0123456789ab")),
            Verdict::up_to_date);
  EXPECT_EQ(decide("local", built("sha-0123456789ab"), offered("sha-ba9876543210")),
            Verdict::available);
}

TEST(UpdatesVerdict, NotBuiltUnknownAndPinned) {
  EXPECT_EQ(decide("npm", CurrentVersion{}, offered("1.0.0")), Verdict::not_built);
  EXPECT_EQ(decide("npm", built("1.0.0"), offered("")), Verdict::unknown);
  EXPECT_EQ(decide("npm", built("2026.7.10"), pinned("2026.8.31", "2026.7.10")), Verdict::pinned);
  EXPECT_EQ(decide("npm", built("2026.8.31"), pinned("2026.8.31", "2026.8.31")),
            Verdict::up_to_date);
  // the pin moved in mcp.json and the image is another version: a build takes the pin
  EXPECT_EQ(decide("npm", built("2026.7.4"), pinned("2026.8.31", "2026.8.31")), Verdict::available);
  EXPECT_EQ(decide("npm", built("2026.8.31"), pinned("2026.8.31", "2026.7.4")), Verdict::available);
  // a git tag, and a commit named by a prefix of its id
  EXPECT_EQ(decide("git", built("v1", std::string(40, 'a')), pinned("v2", "v1")), Verdict::pinned);
  LatestVersion commit_pin = pinned("v2", "aaaaaaa");
  commit_pin.commit = std::string(40, 'b');
  EXPECT_EQ(decide("git", built("aaaaaaaaaaaa", std::string(40, 'a')), commit_pin),
            Verdict::pinned);
  EXPECT_EQ(decide("git", built("cccccccccccc", std::string(40, 'c')), commit_pin),
            Verdict::available);
}

}  // namespace
}  // namespace ccmcp::updates
