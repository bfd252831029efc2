// The time, as updates see it: an interface, so that the due checks of the
// update policies (checkInterval, the scheduled policy) are tested with a
// fake clock instead of waiting hours, as the runtime's tests use a fake
// engine instead of Docker.
#pragma once

#include <chrono>
#include <optional>
#include <string>

#include "util/rfc3339.h"  // how times are kept in the state

namespace ccmcp::updates {

using TimePoint = std::chrono::system_clock::time_point;

class Clock {
 public:
  virtual ~Clock() = default;
  virtual TimePoint now() const = 0;
};

// The machine's clock.
class SystemClock : public Clock {
 public:
  TimePoint now() const override { return std::chrono::system_clock::now(); }
};

// A clock that moves only when told to.
class FakeClock : public Clock {
 public:
  explicit FakeClock(TimePoint start) : now_(start) {}
  TimePoint now() const override { return now_; }
  void set(TimePoint when) { now_ = when; }
  void advance(std::chrono::seconds by) { now_ += by; }

 private:
  TimePoint now_;
};

// "just now", "42s ago", "5m ago", "3h ago", "2d ago": for tables.
std::string describe_age(TimePoint then, TimePoint now);

}  // namespace ccmcp::updates
