#!/usr/bin/env node
// `cc-mcp connect NAME` under the official MCP SDK's StdioClientTransport,
// as Claude Desktop runs it, against cc-mcp-bridge serving server-everything
// on the port of NAME in the state of a temporary CC_MCP_HOME. This script
// runs the bridge itself, so that it can kill it and start it again on the
// same port in the middle.
//
//   node connect_client.mjs --cc-mcp BIN --config MCP_JSON --home DIR --name NAME
//        --bridge BIN --port N --server-js PATH [--fixtures DIR] [--bench N]
//
// Prints one JSON line per step ({"step": ..., "ok": ...}) and exits 0 when
// every step passed. With --bench N it also times N pings through connect
// and N pings straight over Streamable HTTP, on the same bridge.

import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const HERE = path.dirname(fileURLToPath(import.meta.url));
const opts = { bench: 0 };
for (let i = 2; i < process.argv.length; i += 2) opts[process.argv[i].slice(2)] = process.argv[i + 1];
for (const key of ["cc-mcp", "config", "home", "name", "bridge", "port", "server-js"])
  if (!opts[key]) { console.error(`connect_client.mjs: --${key} is required`); process.exit(2); }
const FIXTURES = path.resolve(opts.fixtures ?? process.env.CC_MCP_FIXTURES ?? path.join(HERE, "..", "..", ".cache", "npm-fixtures"));
const SDK = path.join(FIXTURES, "node_modules", "@modelcontextprotocol", "sdk", "dist", "esm");
if (!existsSync(SDK)) { console.error(`connect_client.mjs: no MCP SDK under ${FIXTURES}`); process.exit(2); }
const sdk = (p) => import(pathToFileURL(path.join(SDK, p)).href);
const [{ Client }, { StdioClientTransport }, { StreamableHTTPClientTransport }, types] = await Promise.all([
  sdk("client/index.js"), sdk("client/stdio.js"), sdk("client/streamableHttp.js"), sdk("types.js"),
]);

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const ROOT = "file:///cc-mcp-connect-test/root";
const URL_ = `http://127.0.0.1:${opts.port}/mcp`;
let failures = 0;

async function step(name, body) {
  const t0 = Date.now();
  const line = { step: name };
  try {
    line.detail = (await body()) ?? null;
    line.ok = true;
  } catch (e) {
    line.ok = false;
    line.error = String(e?.message ?? e).slice(0, 500);
    failures++;
  }
  line.ms = Date.now() - t0;
  console.log(JSON.stringify(line));
}
function check(cond, msg) { if (!cond) throw new Error(msg); }
function textOf(result) {
  return (result?.content ?? []).filter((c) => c.type === "text").map((c) => c.text).join("\n");
}

// The bridge, as a child of this script.
let bridge = null;
let bridgeLog = "";
async function startBridge() {
  bridge = spawn(opts.bridge, ["--port", opts.port, "--", "node", opts["server-js"], "stdio"],
                 { stdio: ["ignore", "pipe", "pipe"] });
  bridge.stdout.on("data", (d) => { bridgeLog += d; });
  bridge.stderr.on("data", (d) => { bridgeLog += d; });
  for (let i = 0; i < 100; i++) {
    try {
      const r = await fetch(`http://127.0.0.1:${opts.port}/healthz`);
      if (r.ok) return;
    } catch {}
    await sleep(50);
  }
  throw new Error(`the bridge did not come up: ${bridgeLog}`);
}
async function killBridge() {
  const exited = new Promise((r) => bridge.once("exit", r));
  bridge.kill("SIGKILL");
  await exited;
}

const seen = { sampling: 0, elicitation: 0, roots: 0, progress: 0 };
function makeClient() {
  const client = new Client(
    { name: "cc-mcp-connect-test", version: "1.0.0" },
    { capabilities: { sampling: {}, elicitation: { form: {} }, roots: { listChanged: true } } },
  );
  client.setRequestHandler(types.CreateMessageRequestSchema, async () => {
    seen.sampling++;
    return { role: "assistant", model: "connect-test", content: { type: "text", text: "SAMPLED by the connect test" } };
  });
  client.setRequestHandler(types.ElicitRequestSchema, async () => {
    seen.elicitation++;
    return { action: "accept", content: { name: "Connect Tester", check: true } };
  });
  client.setRequestHandler(types.ListRootsRequestSchema, async () => {
    seen.roots++;
    return { roots: [{ uri: ROOT, name: "connect-test-root" }] };
  });
  return client;
}

await startBridge();
const transport = new StdioClientTransport({
  command: opts["cc-mcp"],
  args: ["--config", opts.config, "connect", opts.name],
  env: { ...process.env, CC_MCP_HOME: opts.home },
  stderr: "pipe",
});
let shimErr = "";
transport.stderr?.on("data", (d) => { shimErr += d; });
let shimExit = null;
const client = makeClient();
const timeout = { timeout: 30000 };

await step("initialize", async () => {
  await client.connect(transport, timeout);
  transport._process?.once("exit", (code, signal) => { shimExit = { code, signal }; });
  check(client.getServerVersion()?.name, "no server name");
  return { server: client.getServerVersion() };
});
await step("tools", async () => {
  const { tools } = await client.listTools(undefined, timeout);
  const names = tools.map((t) => t.name);
  for (const want of ["echo", "trigger-long-running-operation", "trigger-sampling-request", "get-roots-list"])
    check(names.includes(want), `no tool ${want}`);
  return { count: names.length };
});
await step("echo", async () => {
  const message = "through connect ✓ \"quoted\"";
  const text = textOf(await client.callTool({ name: "echo", arguments: { message } }, undefined, timeout));
  check(text === `Echo: ${message}`, `echo: ${text}`);
});
await step("slow-call-blocks-nothing", async () => {
  const slow = client.callTool({ name: "trigger-long-running-operation", arguments: { duration: 2, steps: 4 } },
    undefined, { ...timeout, onprogress: () => { seen.progress++; } });
  await sleep(200);
  const t0 = Date.now();
  await client.callTool({ name: "echo", arguments: { message: "quick" } }, undefined, timeout);
  const quick = Date.now() - t0;
  check(quick < 1000, `echo waited ${quick} ms behind the slow call`);
  const result = await slow;
  check(/completed/i.test(textOf(result)), `slow: ${textOf(result)}`);
  check(seen.progress >= 2, `progress notifications: ${seen.progress}`);
  return { quickMs: quick, progress: seen.progress };
});
await step("sampling", async () => {
  const text = textOf(await client.callTool({ name: "trigger-sampling-request", arguments: { prompt: "hi", maxTokens: 5 } }, undefined, timeout));
  check(text.includes("SAMPLED by the connect test"), `sampling: ${text}`);
});
await step("elicitation", async () => {
  const text = textOf(await client.callTool({ name: "trigger-elicitation-request", arguments: {} }, undefined, timeout));
  check(text.includes("Connect Tester"), `elicitation: ${text}`);
});
async function rootsListed() {
  let text = "";
  for (let i = 0; i < 20; i++) {
    text = textOf(await client.callTool({ name: "get-roots-list", arguments: {} }, undefined, timeout));
    if (text.includes(ROOT)) return;
    await sleep(200);
  }
  throw new Error(`roots: ${text}`);
}
await step("roots", async () => { await rootsListed(); return { requests: seen.roots }; });

await step("restart-fails-the-call-in-flight", async () => {
  // Its outcome is taken at once: a rejection must not be left unhandled.
  const inFlight = client.callTool({ name: "trigger-long-running-operation", arguments: { duration: 20, steps: 20 } },
    undefined, { timeout: 60000 }).then(() => null, (e) => e);
  await sleep(700);
  const t0 = Date.now();
  await killBridge();
  const error = await inFlight;
  check(error, "the call in flight succeeded although its server was killed");
  check(Date.now() - t0 < 5000, `the call in flight failed only after ${Date.now() - t0} ms`);
  return { error: String(error.message).slice(0, 200) };
});
await step("calls-work-after-the-restart", async () => {
  const rootsBefore = seen.roots;
  await sleep(500);  // a restart takes a moment
  await startBridge();
  const text = textOf(await client.callTool({ name: "echo", arguments: { message: "after" } }, undefined, timeout));
  check(text === "Echo: after", `echo after the restart: ${text}`);
  const { tools } = await client.listTools(undefined, timeout);
  check(tools.length > 0, "no tools after the restart");
  await rootsListed();  // the new session asked for the roots again, over the new GET stream
  check(seen.roots > rootsBefore, "the server never asked for roots on the new session");
  const sampled = textOf(await client.callTool({ name: "trigger-sampling-request", arguments: { prompt: "again", maxTokens: 5 } }, undefined, timeout));
  check(sampled.includes("SAMPLED"), `sampling after the restart: ${sampled}`);
});

if (Number(opts.bench) > 0) {
  await step("bench", async () => {
    const n = Number(opts.bench);
    const time = async (c) => {
      for (let i = 0; i < 20; i++) await c.ping();  // warm up
      const ms = [];
      for (let i = 0; i < n; i++) {
        const t0 = process.hrtime.bigint();
        await c.ping();
        ms.push(Number(process.hrtime.bigint() - t0) / 1e6);
      }
      ms.sort((a, b) => a - b);
      return { p50: +ms[Math.floor(n * 0.5)].toFixed(3), p90: +ms[Math.floor(n * 0.9)].toFixed(3), p99: +ms[Math.floor(n * 0.99)].toFixed(3) };
    };
    const direct = new Client({ name: "direct", version: "1" }, { capabilities: {} });
    const directTransport = new StreamableHTTPClientTransport(new URL(URL_));
    await direct.connect(directTransport, timeout);
    const viaDirect = await time(direct);
    const viaConnect = await time(client);
    const viaDirect2 = await time(direct);
    await directTransport.terminateSession();
    await direct.close();
    return { pings: n, direct: viaDirect, connect: viaConnect, directAgain: viaDirect2 };
  });
}

await step("close", async () => {
  await client.close();
  for (let i = 0; i < 50 && !shimExit; i++) await sleep(50);
  check(shimExit, "connect did not exit after stdin closed");
  check(shimExit.code === 0, `connect exited with ${JSON.stringify(shimExit)}`);
  // Its session was DELETEd: the bridge has no child left for it.
  const health = await (await fetch(`http://127.0.0.1:${opts.port}/healthz`)).json();
  check(health.sessions === 0, `the bridge still has ${health.sessions} session(s)`);
});
await killBridge();
if (failures) console.error(`connect stderr:\n${shimErr}\nbridge:\n${bridgeLog.slice(-2000)}`);
else if (shimErr) console.log(JSON.stringify({ step: "stderr", lines: shimErr.trim().split("\n") }));
process.exit(failures ? 1 : 0);
