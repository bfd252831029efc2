// HttpClient on libcurl: one easy handle per exchange, so that threads never
// share one (a unix-socket connect costs microseconds).
#include <curl/curl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cstring>
#include <exception>
#include <mutex>

#include "net/http_client.h"

namespace ccmcp::net {

std::string HttpResponse::header(std::string_view name) const {
  for (const auto& [key, value] : headers)
    if (key == name) return value;
  return {};
}

namespace {

struct CurlDeleter {
  void operator()(CURL* handle) const { curl_easy_cleanup(handle); }
};
struct SlistDeleter {
  void operator()(curl_slist* list) const { curl_slist_free_all(list); }
};
using CurlHandle = std::unique_ptr<CURL, CurlDeleter>;
using HeaderList = std::unique_ptr<curl_slist, SlistDeleter>;

void global_init() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

// State shared with curl's callbacks during one exchange.
struct Exchange {
  const HttpRequest& request;
  HttpResponse response;
  std::exception_ptr upload_error;
  bool aborted_by_reader = false;
};

size_t on_write(char* data, size_t size, size_t count, void* user) {
  auto* exchange = static_cast<Exchange*>(user);
  size_t bytes = size * count;
  if (exchange->request.on_body) {
    if (!exchange->request.on_body(std::string_view(data, bytes))) {
      exchange->response.stopped = true;
      return CURL_WRITEFUNC_ERROR;
    }
    return bytes;
  }
  exchange->response.body.append(data, bytes);
  return bytes;
}

size_t on_header(char* data, size_t size, size_t count, void* user) {
  auto* exchange = static_cast<Exchange*>(user);
  size_t bytes = size * count;
  std::string_view line(data, bytes);
  while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.remove_suffix(1);
  if (line.rfind("HTTP/", 0) == 0) {
    exchange->response.headers.clear();  // a new status line (after 100 Continue)
    return bytes;
  }
  auto colon = line.find(':');
  if (colon == std::string_view::npos) return bytes;
  std::string name(line.substr(0, colon));
  std::transform(name.begin(), name.end(), name.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  std::string_view value = line.substr(colon + 1);
  while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.remove_prefix(1);
  exchange->response.headers.emplace_back(std::move(name), std::string(value));
  return bytes;
}

size_t on_read(char* buffer, size_t size, size_t count, void* user) {
  auto* exchange = static_cast<Exchange*>(user);
  try {
    return exchange->request.body_reader(buffer, size * count);
  } catch (...) {
    exchange->upload_error = std::current_exception();
    exchange->aborted_by_reader = true;
    return CURL_READFUNC_ABORT;
  }
}

int on_progress(void* user, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
  auto* exchange = static_cast<Exchange*>(user);
  return exchange->request.cancel && exchange->request.cancel->load() ? 1 : 0;
}

// Why a unix socket could not be reached, from the file itself: curl says
// only "couldn't connect" for a missing file, a refused connect and EACCES.
HttpFailure unix_socket_failure(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return HttpFailure::no_socket;
  if (::access(path.c_str(), R_OK | W_OK) != 0) return HttpFailure::permission_denied;
  return HttpFailure::cannot_connect;
}

class CurlHttpClient : public HttpClient {
 public:
  HttpResponse send(const HttpRequest& request) override {
    CurlHandle handle(curl_easy_init());
    if (!handle) throw HttpError(HttpFailure::failed, "curl_easy_init failed");
    CURL* curl = handle.get();
    Exchange exchange{request, {}, nullptr, false};
    char error_buffer[CURL_ERROR_SIZE] = {};

    curl_easy_setopt(curl, CURLOPT_URL, request.url.c_str());
    curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, error_buffer);
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl, CURLOPT_PROXY, "");  // never a proxy: local engine, local servers
    curl_easy_setopt(curl, CURLOPT_NOPROXY, "*");
    curl_easy_setopt(curl, CURLOPT_TCP_NODELAY, 1L);
    if (!request.unix_socket.empty())
      curl_easy_setopt(curl, CURLOPT_UNIX_SOCKET_PATH, request.unix_socket.c_str());
    if (!request.ca_file.empty()) curl_easy_setopt(curl, CURLOPT_CAINFO, request.ca_file.c_str());
    if (!request.cert_file.empty())
      curl_easy_setopt(curl, CURLOPT_SSLCERT, request.cert_file.c_str());
    if (!request.key_file.empty()) curl_easy_setopt(curl, CURLOPT_SSLKEY, request.key_file.c_str());

    curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, request.method.c_str());
    if (request.method == "HEAD") curl_easy_setopt(curl, CURLOPT_NOBODY, 1L);

    HeaderList headers;
    auto add_header = [&](const std::string& line) {
      curl_slist* next = curl_slist_append(headers.get(), line.c_str());
      if (!next) throw HttpError(HttpFailure::failed, "out of memory");
      (void)headers.release();
      headers.reset(next);
    };
    for (const auto& line : request.headers) add_header(line);
    add_header("Expect:");  // no 100-continue round trip

    if (request.body_reader) {
      curl_easy_setopt(curl, CURLOPT_UPLOAD, 1L);
      curl_easy_setopt(curl, CURLOPT_READFUNCTION, on_read);
      curl_easy_setopt(curl, CURLOPT_READDATA, &exchange);
      add_header("Transfer-Encoding: chunked");
    } else if (!request.body.empty() || request.method == "POST" || request.method == "PUT") {
      curl_easy_setopt(curl, CURLOPT_POSTFIELDS, request.body.data());
      curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE,
                       static_cast<curl_off_t>(request.body.size()));
    }
    // CURLOPT_UPLOAD and POSTFIELDS set the method; ours wins.
    curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, request.method.c_str());
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers.get());

    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, on_write);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, &exchange);
    curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(curl, CURLOPT_HEADERDATA, &exchange);
    curl_easy_setopt(curl, CURLOPT_NOPROGRESS, 0L);
    curl_easy_setopt(curl, CURLOPT_XFERINFOFUNCTION, on_progress);
    curl_easy_setopt(curl, CURLOPT_XFERINFODATA, &exchange);

    if (request.timeout.count() > 0)
      curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, static_cast<long>(request.timeout.count()));
    curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS,
                     static_cast<long>(request.connect_timeout.count()));
    if (request.idle_timeout.count() > 0) {
      // "less than 1 byte a second for N seconds" is curl's idle time-out
      curl_easy_setopt(curl, CURLOPT_LOW_SPEED_LIMIT, 1L);
      curl_easy_setopt(curl, CURLOPT_LOW_SPEED_TIME,
                       std::max(1L, static_cast<long>(request.idle_timeout.count() / 1000)));
    }

    global_init();
    CURLcode code = curl_easy_perform(curl);
    long status = 0;
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
    exchange.response.status = static_cast<int>(status);

    if (code == CURLE_OK || (code == CURLE_WRITE_ERROR && exchange.response.stopped))
      return std::move(exchange.response);
    if (exchange.upload_error) std::rethrow_exception(exchange.upload_error);

    std::string detail = error_buffer[0] ? error_buffer : curl_easy_strerror(code);
    switch (code) {
      case CURLE_COULDNT_CONNECT:
      case CURLE_COULDNT_RESOLVE_HOST:
        throw HttpError(request.unix_socket.empty() ? HttpFailure::cannot_connect
                                                    : unix_socket_failure(request.unix_socket),
                        detail);
      case CURLE_OPERATION_TIMEDOUT:
        throw HttpError(HttpFailure::timed_out, detail);
      case CURLE_ABORTED_BY_CALLBACK:
        throw HttpError(HttpFailure::cancelled, "cancelled");
      default:
        throw HttpError(HttpFailure::failed, detail);
    }
  }
};

}  // namespace

std::shared_ptr<HttpClient> make_curl_client() {
  global_init();
  return std::make_shared<CurlHttpClient>();
}

}  // namespace ccmcp::net
