// Typed calls on containers, over Engine: inspect, list by label, create,
// start, stop, restart, remove, one stats sample, and the log stream. Each
// call has a time-out (a stop's is its grace period plus some); the log
// stream has none when following, and ends when `cancel` is set.
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "docker/engine.h"
#include "docker/streams.h"

namespace ccmcp::docker {

// GET /containers/{name}/json, or nullopt when there is no such container.
std::optional<Json> inspect_container(Engine& engine, const std::string& name);

// GET /images/{reference}/json, or nullopt when the image is not here.
std::optional<Json> inspect_image(Engine& engine, const std::string& reference);

// GET /containers/json?all=1&filters={"label":[...]}: every container
// (running or not) that carries all of `labels` ("key" or "key=value").
std::vector<Json> list_containers(Engine& engine, const std::vector<std::string>& labels);

// POST /containers/create?name=NAME; returns the new container's id.
std::string create_container(Engine& engine, const std::string& name, const Json& body);

// POST /containers/{id}/start; a container already running is no error.
void start_container(Engine& engine, const std::string& id);
// POST /containers/{id}/stop?t=GRACE; one already stopped is no error.
void stop_container(Engine& engine, const std::string& id, std::chrono::seconds grace);
// POST /containers/{id}/restart?t=GRACE.
void restart_container(Engine& engine, const std::string& id, std::chrono::seconds grace);
// DELETE /containers/{id}?force=..; one already gone is no error.
void remove_container(Engine& engine, const std::string& id, bool force);

// GET /containers/{id}/stats?stream=false&one-shot=true: one sample, at
// once (without one-shot the engine waits for a second sample).
Json container_stats(Engine& engine, const std::string& id,
                     std::chrono::milliseconds timeout = std::chrono::seconds(5));

struct LogOptions {
  bool follow = false;
  bool timestamps = false;
  std::string tail;   // "all" or a count; empty: all
  std::string since;  // a unix time "SECONDS[.NANOS]"; empty: from the start
  bool raw = false;   // the container has a TTY: no frames
  const std::atomic<bool>* cancel = nullptr;
};

// GET /containers/{id}/logs: calls `sink` with each demultiplexed piece
// (whole frames, not lines). Returns when the stream ends (the container
// stopped, or without follow at the end) or when `cancel` is set; returns
// true when it was cancelled.
bool stream_logs(Engine& engine, const std::string& id, const LogOptions& options,
                 const LogDemuxer::Sink& sink);

// The labels of an inspect or list answer ("Config.Labels" or "Labels").
std::map<std::string, std::string> labels_of(const Json& container);

using EngineTime = std::chrono::sys_time<std::chrono::nanoseconds>;

// "2026-12-03T19:40:05.507843358Z" (RFC 3339, as the engine writes times);
// nullopt when it is not such a time, or Go's zero time (year 1).
std::optional<EngineTime> parse_engine_time(std::string_view text);
// The engine's "since"/"until" form: "SECONDS.NANOSECONDS".
std::string unix_time_text(EngineTime time);

}  // namespace ccmcp::docker
