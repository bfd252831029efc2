// Decoders for the two stream formats the engine sends in pieces:
//  - the multiplexed stdout/stderr stream of logs and attach (8-byte frame
//    headers: stream, 0, 0, 0, big-endian payload length), and
//  - the newline-delimited JSON messages of /build and /images/create.
// Both take bytes as they come (any split) and call back per whole unit.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace ccmcp::docker {

enum class LogStream { stdin_, stdout_, stderr_ };

class LogDemuxer {
 public:
  using Sink = std::function<void(LogStream stream, std::string_view payload)>;
  explicit LogDemuxer(Sink sink) : sink_(std::move(sink)) {}

  // Containers with a TTY send raw bytes, not frames: say so up front.
  void set_raw(bool raw) { raw_ = raw; }
  void feed(std::string_view bytes);
  // Bytes of a frame that never completed (a cut stream).
  size_t pending() const { return buffer_.size(); }

 private:
  Sink sink_;
  bool raw_ = false;
  std::string buffer_;
};

class JsonLineStream {
 public:
  using Sink = std::function<void(const nlohmann::json& message)>;
  explicit JsonLineStream(Sink sink) : sink_(std::move(sink)) {}

  void feed(std::string_view bytes);
  // The rest, at the end of the stream (a last message without a newline).
  void finish();

 private:
  void emit(std::string_view line);
  Sink sink_;
  std::string buffer_;
};

}  // namespace ccmcp::docker
