#!/usr/bin/env python3
"""What `cc-mcp connect` adds to a request: ping round trips through connect
(stdio -> connect -> HTTP -> bridge) against the same pings POSTed straight
to the bridge over one kept-alive HTTP connection, in alternating rounds so
that a busy machine weighs on both alike.

  bench/connect_latency.py CC_MCP CC_MCP_BRIDGE SERVER_JS [PINGS]

Starts the bridge (serving `node SERVER_JS stdio`) on a free port, writes
that port into the state of a temporary CC_MCP_HOME, and prints the
p50/p90/p99 in microseconds of each way and of their difference at p50."""
import http.client, json, os, socket, subprocess, sys, tempfile, time

ccmcp, bridge, server_js = sys.argv[1:4]
pings = int(sys.argv[4]) if len(sys.argv) > 4 else 2000
work = tempfile.mkdtemp(prefix="cc-mcp-bench.")
s = socket.socket(); s.bind(("127.0.0.1", 0)); port = s.getsockname()[1]; s.close()
os.makedirs(f"{work}/home/state")
json.dump({"servers": {"ev": {"port": port}}}, open(f"{work}/home/state/servers.json", "w"))
json.dump({"mcpServers": {"ev": {"command": "node"}}}, open(f"{work}/mcp.json", "w"))
b = subprocess.Popen([bridge, "--port", str(port), "--", "node", server_js, "stdio"],
                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
for _ in range(200):
    try:
        socket.create_connection(("127.0.0.1", port)).close(); break
    except OSError: time.sleep(0.05)

init = {"jsonrpc": "2.0", "id": 0, "method": "initialize", "params": {
    "protocolVersion": "2025-11-25", "capabilities": {}, "clientInfo": {"name": "bench", "version": "1"}}}

# Through connect.
c = subprocess.Popen([ccmcp, "--config", f"{work}/mcp.json", "connect", "ev"], stdin=subprocess.PIPE,
                     stdout=subprocess.PIPE, env={**os.environ, "CC_MCP_HOME": f"{work}/home"})
def via_connect(message):
    c.stdin.write((json.dumps(message) + "\n").encode()); c.stdin.flush()
    while True:
        answer = json.loads(c.stdout.readline())
        if answer.get("id") == message["id"]: return answer
via_connect(init)
c.stdin.write(b'{"jsonrpc":"2.0","method":"notifications/initialized"}\n'); c.stdin.flush()

# Straight to the bridge.
h = http.client.HTTPConnection("127.0.0.1", port)
headers = {"Content-Type": "application/json", "Accept": "application/json, text/event-stream"}
def post(message, session=None):
    extra = {"Mcp-Session-Id": session, "MCP-Protocol-Version": "2025-11-25"} if session else {}
    h.request("POST", "/mcp", json.dumps(message), {**headers, **extra})
    r = h.getresponse(); body = r.read()
    return r, body
r, _ = post(init); sid = r.getheader("Mcp-Session-Id")
post({"jsonrpc": "2.0", "method": "notifications/initialized"}, sid)
def via_http(message): post(message, sid)

times = {"connect": [], "direct": []}
n = 0
for round_ in range(pings // 100 + 2):
    for way, send in (("connect", via_connect), ("direct", via_http)):
        for _ in range(100):
            n += 1
            t0 = time.perf_counter()
            send({"jsonrpc": "2.0", "id": n, "method": "ping"})
            if round_ > 1: times[way].append((time.perf_counter() - t0) * 1e6)  # two rounds warm up
def pct(v, p): v = sorted(v); return round(v[min(len(v) - 1, int(len(v) * p))])
result = {way: {"p50": pct(v, .5), "p90": pct(v, .9), "p99": pct(v, .99), "n": len(v)} for way, v in times.items()}
result["added_p50_us"] = result["connect"]["p50"] - result["direct"]["p50"]
print(json.dumps(result))
c.stdin.close(); c.wait(10); b.terminate(); b.wait(10)
subprocess.run(["rm", "-rf", work])
