#include "cli/interrupt_flag.h"

namespace ccmcp::cli {

namespace {
std::atomic<bool> interrupted{false};
}  // namespace

InterruptFlag::InterruptFlag() {
  interrupted = false;
  struct sigaction action {};
  action.sa_handler = [](int) { interrupted = true; };
  sigemptyset(&action.sa_mask);
  ::sigaction(SIGINT, &action, &previous_int_);
  ::sigaction(SIGTERM, &action, &previous_term_);
}

InterruptFlag::~InterruptFlag() {
  ::sigaction(SIGINT, &previous_int_, nullptr);
  ::sigaction(SIGTERM, &previous_term_, nullptr);
}

std::atomic<bool>* InterruptFlag::flag() const {
  return &interrupted;
}

}  // namespace ccmcp::cli
