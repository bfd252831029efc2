#!/usr/bin/env node
// A test client for cc-mcp-bridge (and peer bridges), built on the official
// MCP TypeScript SDK installed by scripts/npm-fixtures.
//
//   node tests/bridge/client.mjs --url http://127.0.0.1:PORT/mcp [--transport streamable|sse]
//        [--scenario basic|progress|sampling|elicitation|roots|filesystem|everything]
//        [--file PATH --expect TEXT] [--timeout MS] [--fixtures DIR]
//
// It connects (StreamableHTTPClientTransport, or SSEClientTransport for the
// old HTTP+SSE transport: --url .../sse --transport sse), runs one scenario,
// prints ONE JSON line ({"ok":true|false, ...}) on stdout and exits 0 on
// success, 1 on failure (the reason is in "error" and on stderr), 2 on a
// usage error.
//
// Scenarios against @modelcontextprotocol/server-everything:
//   basic        initialize, ping, tools/list (count + names), call `echo`
//   progress     call `trigger-long-running-operation` with a progress token;
//                wants >= 2 notifications/progress before the result
//   sampling     call `trigger-sampling-request`; the client answers
//                sampling/createMessage and the result must carry the answer
//   elicitation  call `trigger-elicitation-request`; the client accepts with
//                a name that the result must echo
//   roots        the client exposes a root; `get-roots-list` must list it
//                (server -> client roots/list, partly on the standalone GET
//                stream, so this also checks unsolicited server requests)
//   everything   all of the above, each on its own connection
// Against @modelcontextprotocol/server-filesystem started with a folder:
//   filesystem   list_allowed_directories, then read_text_file --file; the
//                text must equal --expect (trailing newlines aside) or, with
//                no --expect, the local file of that path byte for byte
//
// The client always declares sampling, elicitation and roots, so that every
// connection to one shared child (a bridge that multiplexes clients onto one
// stdio server) presents the same capabilities.

import { randomBytes } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const HERE = path.dirname(fileURLToPath(import.meta.url));
const REPO = path.resolve(HERE, "..", "..");

const USAGE = `usage: node client.mjs --url URL [--transport streamable|sse] [--scenario NAME]
       [--file PATH] [--expect TEXT] [--timeout MS] [--fixtures DIR]
scenarios: basic (default), progress, sampling, elicitation, roots, everything, filesystem`;

const SCENARIOS = ["basic", "progress", "sampling", "elicitation", "roots", "everything", "filesystem"];

function parseArgs(argv) {
  const opts = { transport: null, scenario: "basic", timeout: 60000, fixtures: null };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const eq = a.indexOf("=");
    const key = a.startsWith("--") ? (eq > 0 ? a.slice(2, eq) : a.slice(2)) : null;
    const val = () => {
      if (eq > 0) return a.slice(eq + 1);
      if (i + 1 >= argv.length) usage(`missing value for ${a}`);
      return argv[++i];
    };
    switch (key) {
      case "url": opts.url = val(); break;
      case "transport": opts.transport = val(); break;
      case "scenario": opts.scenario = val(); break;
      case "file": opts.file = val(); break;
      case "expect": opts.expect = val(); break;
      case "timeout": opts.timeout = Number(val()); break;
      case "fixtures": opts.fixtures = val(); break;
      case "help": case "h": console.log(USAGE); process.exit(0);
      default: usage(`unknown argument: ${a}`);
    }
  }
  if (!opts.url) usage("--url is required");
  let u;
  try { u = new URL(opts.url); } catch { usage(`bad --url: ${opts.url}`); }
  if (!opts.transport) opts.transport = u.pathname.replace(/\/+$/, "").endsWith("/sse") ? "sse" : "streamable";
  if (!["streamable", "sse"].includes(opts.transport)) usage(`bad --transport: ${opts.transport}`);
  if (!SCENARIOS.includes(opts.scenario)) usage(`unknown scenario: ${opts.scenario}`);
  if (!(opts.timeout > 0)) usage("bad --timeout");
  return opts;
}

function usage(msg) {
  console.error(`client.mjs: ${msg}\n${USAGE}`);
  process.exit(2);
}

const opts = parseArgs(process.argv.slice(2));
const FIXTURES = path.resolve(opts.fixtures ?? process.env.CC_MCP_FIXTURES ?? path.join(REPO, ".cache", "npm-fixtures"));
const SDK_DIR = path.join(FIXTURES, "node_modules", "@modelcontextprotocol", "sdk", "dist", "esm");
if (!existsSync(SDK_DIR)) {
  fail(`MCP SDK not found under ${FIXTURES}: run scripts/npm-fixtures first`, {}, 2);
}
const sdk = (p) => import(pathToFileURL(path.join(SDK_DIR, p)).href);
const [{ Client }, { StreamableHTTPClientTransport }, { SSEClientTransport }, types] = await Promise.all([
  sdk("client/index.js"), sdk("client/streamableHttp.js"), sdk("client/sse.js"), sdk("types.js"),
]);

// A token unique to this run, so an answer cannot come from an earlier run.
const TOKEN = randomBytes(6).toString("hex");
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

class Failure extends Error {}
function check(cond, msg) {
  if (!cond) throw new Failure(msg);
}
function textOf(result) {
  return (result?.content ?? []).filter((c) => c.type === "text").map((c) => c.text).join("\n");
}
function clip(s, n = 300) {
  s = String(s);
  return s.length > n ? s.slice(0, n) + `...(${s.length} chars)` : s;
}

// One connection, with every client-side handler installed.
async function connect(state) {
  const client = new Client(
    { name: "cc-mcp-bridge-test-client", version: "1.0.0" },
    { capabilities: { sampling: {}, elicitation: { form: {} }, roots: { listChanged: true } } },
  );
  client.onerror = (e) => state.transportErrors.push(clip(e?.message ?? e, 200));
  client.setRequestHandler(types.CreateMessageRequestSchema, async (req) => {
    state.samplingRequests.push(req.params);
    const prompt = textOf({ content: req.params.messages.map((m) => m.content) });
    return {
      role: "assistant",
      model: "cc-mcp-bridge-test-model",
      stopReason: "endTurn",
      content: { type: "text", text: `SAMPLED[${TOKEN}] for: ${prompt}` },
    };
  });
  client.setRequestHandler(types.ElicitRequestSchema, async (req) => {
    state.elicitationRequests.push(req.params);
    return { action: "accept", content: { name: `Bridge Tester ${TOKEN}`, check: true, integer: 7 } };
  });
  client.setRequestHandler(types.ListRootsRequestSchema, async () => {
    state.rootsRequests.push({ at: Date.now(), duringToolCall: state.inToolCall });
    return { roots: [{ uri: `file:///cc-mcp-bridge-test/${TOKEN}`, name: "cc-mcp-bridge-test-root" }] };
  });
  client.setNotificationHandler(types.LoggingMessageNotificationSchema, (n) => {
    state.logMessages++;
  });

  const url = new URL(opts.url);
  let transport;
  let negotiated = null;
  if (opts.transport === "sse") {
    transport = new SSEClientTransport(url);
    // The SSE transport keeps no protocol version; the client offers it here.
    transport.setProtocolVersion = (v) => { negotiated = v; };
  } else {
    transport = new StreamableHTTPClientTransport(url);
  }
  const t0 = Date.now();
  await client.connect(transport, { timeout: opts.timeout });
  const info = {
    initMs: Date.now() - t0,
    server: client.getServerVersion(),
    protocolVersion: transport.protocolVersion ?? negotiated,
    sessionId: transport.sessionId ?? null,
  };
  const close = async () => {
    let del = null;
    if (opts.transport === "streamable" && transport.sessionId) {
      try { await transport.terminateSession(); del = "ok"; } catch (e) { del = `error: ${clip(e.message, 120)}`; }
    }
    try { await client.close(); } catch {}
    return del;
  };
  return { client, transport, info, close };
}

async function callTool(state, client, name, args, options = {}) {
  state.inToolCall = true;
  try {
    return await client.callTool({ name, arguments: args }, undefined, { timeout: opts.timeout, ...options });
  } finally {
    state.inToolCall = false;
  }
}

async function toolNames(client) {
  const { tools } = await client.listTools();
  return tools.map((t) => t.name);
}

function requireTool(names, name) {
  check(names.includes(name),
    `server has no tool "${name}" (the client declared sampling/elicitation/roots; tools: ${names.join(", ")})`);
}

const scenarios = {
  async basic({ client }, state) {
    await client.ping();
    const names = await toolNames(client);
    check(names.length > 0, "tools/list returned no tools");
    requireTool(names, "echo");
    const message = `hello from the cc-mcp-bridge test ${TOKEN} ✓ "quoted" \\ backslash`;
    const result = await callTool(state, client, "echo", { message });
    check(!result.isError, `echo returned isError: ${clip(textOf(result))}`);
    const text = textOf(result);
    check(text === `Echo: ${message}`, `echo mismatch: got ${JSON.stringify(clip(text))}`);
    return { toolCount: names.length, tools: names, echo: "ok" };
  },

  async progress({ client }, state) {
    const names = await toolNames(client);
    requireTool(names, "trigger-long-running-operation");
    const progress = [];
    const t0 = Date.now();
    let resultAt = null;
    const result = await callTool(state, client, "trigger-long-running-operation", { duration: 2, steps: 4 }, {
      onprogress: (p) => progress.push({ progress: p.progress, total: p.total, ms: Date.now() - t0 }),
    });
    resultAt = Date.now() - t0;
    check(!result.isError, `tool returned isError: ${clip(textOf(result))}`);
    check(/completed/i.test(textOf(result)), `unexpected result: ${clip(textOf(result))}`);
    check(progress.length >= 2, `only ${progress.length} progress notification(s) arrived before the result (want >= 2)`);
    for (let i = 1; i < progress.length; i++) {
      check(progress[i].progress > progress[i - 1].progress, `progress not increasing: ${JSON.stringify(progress)}`);
    }
    // Progress must be streamed, not delivered in one burst with the result.
    const spread = progress[progress.length - 1].ms - progress[0].ms;
    check(spread >= 500, `progress notifications were not streamed (all within ${spread} ms)`);
    return { progressCount: progress.length, progress, resultMs: resultAt };
  },

  async sampling({ client }, state) {
    const names = await toolNames(client);
    requireTool(names, "trigger-sampling-request");
    const prompt = `bridge sampling prompt ${TOKEN}`;
    const result = await callTool(state, client, "trigger-sampling-request", { prompt, maxTokens: 50 });
    check(!result.isError, `tool returned isError: ${clip(textOf(result))}`);
    check(state.samplingRequests.length >= 1, "the server never sent sampling/createMessage to the client");
    const sent = JSON.stringify(state.samplingRequests[0].messages);
    check(sent.includes(prompt), `sampling request did not carry the prompt: ${clip(sent)}`);
    const text = textOf(result);
    check(text.includes(`SAMPLED[${TOKEN}]`), `tool result does not reflect the sampling answer: ${clip(text)}`);
    return { samplingRequests: state.samplingRequests.length, answerSeenInResult: true };
  },

  async elicitation({ client }, state) {
    const names = await toolNames(client);
    requireTool(names, "trigger-elicitation-request");
    const result = await callTool(state, client, "trigger-elicitation-request", {});
    check(!result.isError, `tool returned isError: ${clip(textOf(result))}`);
    check(state.elicitationRequests.length >= 1, "the server never sent elicitation/create to the client");
    const text = textOf(result);
    check(text.includes(`Name: Bridge Tester ${TOKEN}`), `tool result does not reflect the elicitation answer: ${clip(text)}`);
    return { elicitationRequests: state.elicitationRequests.length, answerSeenInResult: true };
  },

  async roots({ client }, state) {
    const names = await toolNames(client);
    requireTool(names, "get-roots-list");
    // server-everything asks for roots by itself ~350 ms after initialization:
    // an unsolicited server->client request (standalone GET stream over
    // Streamable HTTP). Wait for it a little, but do not require it.
    for (let i = 0; i < 20 && state.rootsRequests.length === 0; i++) await sleep(100);
    const unsolicited = state.rootsRequests.length > 0;
    // A child shared with an earlier client may hold that client's roots:
    // tell it ours changed so it asks again.
    if (!unsolicited) await client.sendRootsListChanged();
    const want = `file:///cc-mcp-bridge-test/${TOKEN}`;
    let text = "";
    for (let attempt = 0; attempt < 10; attempt++) {
      const result = await callTool(state, client, "get-roots-list", {});
      check(!result.isError, `tool returned isError: ${clip(textOf(result))}`);
      text = textOf(result);
      if (text.includes(want)) break;
      await sleep(300);
    }
    check(state.rootsRequests.length >= 1, "the server never sent roots/list to the client");
    check(text.includes(want), `get-roots-list does not list the client's root ${want}: ${clip(text)}`);
    return { rootsRequests: state.rootsRequests.length, unsolicitedRootsRequest: unsolicited };
  },

  async filesystem({ client }, state) {
    const names = await toolNames(client);
    requireTool(names, "list_allowed_directories");
    requireTool(names, "read_text_file");
    const dirs = await callTool(state, client, "list_allowed_directories", {});
    check(!dirs.isError, `list_allowed_directories returned isError: ${clip(textOf(dirs))}`);
    const out = { toolCount: names.length, allowedDirectories: textOf(dirs) };
    if (opts.file) {
      const res = await callTool(state, client, "read_text_file", { path: opts.file });
      const text = textOf(res);
      check(!res.isError, `read_text_file ${opts.file} returned isError: ${clip(text)}`);
      // --expect comes from a shell, which loses trailing newlines: compare
      // without them. Without --expect, a file that exists here (the server
      // runs on this host) is compared byte for byte.
      let want = opts.expect, exact = false;
      if (want === undefined && existsSync(opts.file)) { want = readFileSync(opts.file, "utf8"); exact = true; }
      if (want !== undefined) {
        const same = exact ? text === want : text.replace(/\n+$/, "") === want.replace(/\n+$/, "");
        check(same, `read_text_file content mismatch: want ${JSON.stringify(clip(want))}, got ${JSON.stringify(clip(text))}`);
      }
      out.read = { file: opts.file, bytes: Buffer.byteLength(text), checked: want === undefined ? "no" : exact ? "exact (local file)" : "--expect" };
    }
    return out;
  },
};

function newState() {
  return { samplingRequests: [], elicitationRequests: [], rootsRequests: [], logMessages: 0, transportErrors: [], inToolCall: false };
}

async function runOne(name) {
  const state = newState();
  const t0 = Date.now();
  let conn;
  try {
    conn = await connect(state);
  } catch (e) {
    const cause = e?.cause ? ` (${e.cause.code ?? e.cause.message ?? e.cause})` : "";
    throw new Failure(`connect/initialize failed: ${e?.message ?? e}${cause}`);
  }
  try {
    const details = await scenarios[name](conn, state);
    const del = await conn.close();
    return { scenario: name, ...conn.info, ...details, deleteSession: del, ms: Date.now() - t0 };
  } catch (e) {
    await conn.close().catch(() => {});
    if (state.transportErrors.length) e.transportErrors = state.transportErrors;
    throw e;
  }
}

function fail(message, extra = {}, code = 1) {
  const line = { ok: false, scenario: opts?.scenario, transport: opts?.transport, url: opts?.url, error: message, ...extra };
  console.log(JSON.stringify(line));
  console.error(`client.mjs: FAIL (${opts?.scenario} over ${opts?.transport} at ${opts?.url}): ${message}`);
  process.exit(code);
}

const watchdog = setTimeout(() => fail(`timed out after ${opts.timeout} ms`), opts.timeout + 2000);
try {
  let out;
  if (opts.scenario === "everything") {
    const results = {};
    for (const name of ["basic", "progress", "sampling", "elicitation", "roots"]) {
      try {
        results[name] = { ok: true, ...(await runOne(name)) };
      } catch (e) {
        results[name] = { ok: false, error: e?.message ?? String(e) };
      }
    }
    const failed = Object.keys(results).filter((k) => !results[k].ok);
    const passed = Object.keys(results).filter((k) => results[k].ok);
    if (failed.length) {
      fail(`${failed.length} scenario(s) failed: ${failed.map((k) => `${k}: ${results[k].error}`).join("; ")}`, { passed, failed, results });
    }
    out = { passed, failed, results };
  } else {
    out = await runOne(opts.scenario);
  }
  clearTimeout(watchdog);
  console.log(JSON.stringify({ ok: true, scenario: opts.scenario, transport: opts.transport, url: opts.url, ...out }));
  process.exit(0);
} catch (e) {
  const msg = e instanceof Failure ? e.message : `${e?.name ?? "Error"}: ${e?.message ?? e}`;
  fail(msg, e?.transportErrors ? { transportErrors: e.transportErrors } : {});
}
