// Whether something accepts TCP connections on a loopback port: cheaper and
// surer than asking HTTP when all we need is "is anyone there".
#pragma once

#include <chrono>

namespace ccmcp::net {

// True when a connect() to 127.0.0.1:port succeeds now.
bool loopback_port_answers(int port);

// Tries until it succeeds or `timeout` passes (every 100 ms).
bool wait_for_loopback_port(int port, std::chrono::milliseconds timeout);

}  // namespace ccmcp::net
