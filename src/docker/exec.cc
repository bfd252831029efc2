#include "docker/exec.h"

#include "docker/streams.h"

namespace ccmcp::docker {

namespace {

constexpr size_t kMaxOutput = 64 * 1024;

}  // namespace

ExecResult exec_in_container(Engine& engine, const std::string& container,
                             const ExecRequest& request) {
  std::string subject = "container " + quote(container);
  Json body = {{"AttachStdout", true},
               {"AttachStderr", true},
               {"AttachStdin", false},
               {"Tty", false},
               {"Cmd", request.argv}};
  if (!request.env.empty()) body["Env"] = request.env;
  if (!request.user.empty()) body["User"] = request.user;
  if (!request.working_dir.empty()) body["WorkingDir"] = request.working_dir;
  Json created = engine.post("/containers/" + url_encode(container) + "/exec", body, subject);
  std::string id = created.value("Id", "");
  if (id.empty())
    throw Error(ErrorKind::engine, subject, "the engine made no exec instance", "try again");

  ExecResult result;
  LogDemuxer demuxer([&](LogStream, std::string_view payload) {
    if (result.output.size() < kMaxOutput)
      result.output.append(payload.substr(0, kMaxOutput - result.output.size()));
  });
  net::HttpRequest start;
  start.method = "POST";
  start.url = "/exec/" + url_encode(id) + "/start";
  start.headers = {"Content-Type: application/json"};
  start.body = Json{{"Detach", false}, {"Tty", false}}.dump();
  start.timeout = request.timeout;
  start.on_body = [&](std::string_view chunk) {
    demuxer.feed(chunk);
    return true;
  };
  try {
    engine.call(std::move(start), subject);
  } catch (const Error& error) {
    // Our own time limit: the command is still running; the caller's
    // container goes soon, and the command with it.
    auto inspect = engine.get_if_exists("/exec/" + url_encode(id) + "/json", subject);
    if (!inspect || !inspect->value("Running", false)) throw;
    result.timed_out = true;
    return result;
  }
  auto inspect = engine.get("/exec/" + url_encode(id) + "/json", subject);
  if (!inspect.value("Running", false) && inspect.contains("ExitCode") &&
      inspect["ExitCode"].is_number_integer())
    result.exit_code = inspect["ExitCode"].get<int>();
  return result;
}

}  // namespace ccmcp::docker
