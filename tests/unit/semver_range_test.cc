// range_may_accept: package.json "engines" ranges against a base's Node.
#include <gtest/gtest.h>

#include "util/semver.h"

namespace ccmcp {
namespace {

bool accepts(const char* version, const char* range) {
  return range_may_accept(*parse_semver(version), range);
}

TEST(SemVerRange, ComparatorsAndAlternatives) {
  EXPECT_FALSE(accepts("18.999.999", ">=20.18.1"));
  EXPECT_TRUE(accepts("20.999.999", ">=20.18.1"));
  EXPECT_FALSE(accepts("18.999.999", ">=22.0.0"));
  EXPECT_TRUE(accepts("18.999.999", ">=18.0.0"));
  EXPECT_TRUE(accepts("18.999.999", ">= 18"));
  EXPECT_TRUE(accepts("18.19.0", "^18 || >=20"));
  EXPECT_TRUE(accepts("22.1.0", "^18 || >=20"));
  EXPECT_FALSE(accepts("19.1.0", "^18 || >=20"));
  EXPECT_TRUE(accepts("18.19.0", "18.x"));
  EXPECT_FALSE(accepts("20.0.0", "18.x"));
  EXPECT_TRUE(accepts("18.19.0", "16 - 20"));
  EXPECT_FALSE(accepts("21.0.0", "16 - 20"));
  EXPECT_TRUE(accepts("18.19.5", "~18.19"));
  EXPECT_FALSE(accepts("18.20.0", "~18.19"));
  EXPECT_TRUE(accepts("18.999.999", ">=14 <20"));
  EXPECT_FALSE(accepts("20.0.0", ">=14 <20"));
  EXPECT_TRUE(accepts("18.0.0", "*"));
  EXPECT_TRUE(accepts("18.0.0", ""));
}

TEST(SemVerRange, WhatItCannotReadIsAccepted) {
  EXPECT_TRUE(accepts("18.0.0", "node-lts"));
  EXPECT_TRUE(accepts("18.0.0", ">=banana"));
}

}  // namespace
}  // namespace ccmcp
