"""A local MCP registry for the tests and the bench: the registry API v0.1
on 127.0.0.1 (never any other address), serving server.json documents of
schema 2025-12-11 with cursor pagination, as registry.modelcontextprotocol.io
does.

  GET /v0.1/servers?limit=N&cursor=C&search=S
  GET /v0.1/servers/{name}/versions/{version|latest}

usage: python3 registry_fixture.py PORT_FILE LOG_FILE [SYNTHETIC_COUNT]
Writes the port it listens on to PORT_FILE, one line per request to LOG_FILE.
"""
import json
import sys
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

SCHEMA = "https://static.modelcontextprotocol.io/schemas/2025-12-11/server.schema.json"


def npm_server(name, title, description, package, version, **extra):
    doc = {
        "$schema": SCHEMA,
        "name": name,
        "title": title,
        "description": description,
        "version": version,
        "repository": {"url": "https://github.com/modelcontextprotocol/servers", "source": "github",
                       "subfolder": "src/" + package.split("/")[-1].replace("server-", "")},
        "packages": [{"registryType": "npm", "registryBaseUrl": "https://registry.npmjs.org",
                      "identifier": package, "version": version, "transport": {"type": "stdio"}}],
    }
    doc["packages"][0].update(extra)
    return doc


# Real servers, as the official registry publishes them (two versions of one).
DOCUMENTS = [
    (npm_server("io.github.modelcontextprotocol/server-memory", "Knowledge graph memory",
                "Knowledge graph memory for Claude, kept in a local JSONL file",
                "@modelcontextprotocol/server-memory", "2026.8.31",
                environmentVariables=[{"name": "MEMORY_FILE_PATH", "description": "where the graph is kept",
                                       "isRequired": False, "isSecret": False}]), True),
    (npm_server("io.github.modelcontextprotocol/server-memory", "Knowledge graph memory",
                "Knowledge graph memory for Claude, kept in a local JSONL file",
                "@modelcontextprotocol/server-memory", "2026.7.4"), False),
    (npm_server("io.github.modelcontextprotocol/server-filesystem", "Filesystem",
                "Secure file operations within the folders it is given",
                "@modelcontextprotocol/server-filesystem", "2026.8.31",
                packageArguments=[{"type": "positional", "valueHint": "directory", "value": "/workspace",
                                   "isRequired": True}]), True),
    ({"$schema": SCHEMA, "name": "io.example/weather-hosted", "title": "Weather (hosted)",
      "description": "Forecasts from a hosted endpoint", "version": "2.1.0",
      "remotes": [{"type": "streamable-http", "url": "https://weather.example.com/mcp"}]}, True),
    ({"$schema": SCHEMA, "name": "io.example/time-python", "description": "Time and time zones",
      "version": "0.6.2",
      "packages": [{"registryType": "pypi", "identifier": "mcp-server-time", "version": "0.6.2",
                    "transport": {"type": "stdio"}}]}, True),
    ({"$schema": SCHEMA, "name": "io.example/github-tools", "description": "Issues and pull requests",
      "version": "1.0.0",
      "packages": [{"registryType": "npm", "identifier": "@example/github-tools", "version": "1.0.0",
                    "transport": {"type": "stdio"},
                    "environmentVariables": [{"name": "GITHUB_TOKEN", "description": "a personal access token",
                                              "isRequired": True, "isSecret": True}]}]}, True),
]

WORDS = ["weather", "calendar", "notes", "search", "database", "tickets", "maps", "music", "mail", "docs"]


def synthetic(count):
    out = []
    for i in range(count):
        word = WORDS[i % len(WORDS)]
        out.append((npm_server("io.example.synthetic/%s-%04d" % (word, i), "%s %d" % (word.title(), i),
                               "A synthetic %s server number %d for the search bench" % (word, i),
                               "@synthetic/%s-%04d" % (word, i), "1.%d.0" % (i % 7)), True))
    return out


def item(doc, latest):
    return {"server": doc, "_meta": {"io.modelcontextprotocol.registry/official": {
        "status": "active", "publishedAt": "2026-11-01T00:00:00Z", "updatedAt": "2026-11-01T00:00:00Z",
        "isLatest": latest}}}


class Handler(BaseHTTPRequestHandler):
    documents = []
    log = None

    def log_message(self, *args):
        pass

    def reply(self, status, body):
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        with open(Handler.log, "a") as log:
            log.write(self.path + "\n")
        url = urllib.parse.urlsplit(self.path)
        query = dict(urllib.parse.parse_qsl(url.query))
        if url.path == "/v0.1/servers":
            limit = max(1, min(100, int(query.get("limit", "30"))))
            search = query.get("search", "")
            entries = [(d, l) for d, l in Handler.documents if search in d["name"]]
            keys = [d["name"] + ":" + d["version"] for d, _ in entries]
            start = 0
            if "cursor" in query:
                if query["cursor"] not in keys:
                    return self.reply(400, {"error": "bad cursor"})
                start = keys.index(query["cursor"]) + 1
            page = entries[start:start + limit]
            more = start + limit < len(entries)
            return self.reply(200, {"servers": [item(d, l) for d, l in page],
                                    "metadata": {"count": len(page),
                                                 "nextCursor": keys[start + limit - 1] if more else None}})
        prefix = "/v0.1/servers/"
        if url.path.startswith(prefix) and "/versions/" in url.path:
            name, version = url.path[len(prefix):].split("/versions/", 1)
            name, version = urllib.parse.unquote(name), urllib.parse.unquote(version)
            for d, latest in Handler.documents:
                if d["name"] == name and (d["version"] == version or (version == "latest" and latest)):
                    return self.reply(200, item(d, latest))
            return self.reply(404, {"error": "not found"})
        return self.reply(404, {"error": "not found"})


def main():
    port_file, log_file = sys.argv[1], sys.argv[2]
    count = int(sys.argv[3]) if len(sys.argv) > 3 else 0
    Handler.documents = sorted(DOCUMENTS + synthetic(count), key=lambda e: (e[0]["name"], e[0]["version"]))
    Handler.log = log_file
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    with open(port_file + ".tmp", "w") as f:
        f.write(str(server.server_address[1]))
    import os
    os.rename(port_file + ".tmp", port_file)
    server.serve_forever()


if __name__ == "__main__":
    main()
