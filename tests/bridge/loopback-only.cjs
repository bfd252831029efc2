// Preload (node --require) that forces every listening TCP socket of the
// process onto 127.0.0.1 (or $CC_MCP_LISTEN_HOST). For peer bridges that have
// no bind-address option, e.g. supergateway 4.x, which listens on all
// interfaces:
//   node --require tests/bridge/loopback-only.cjs .../supergateway/dist/index.js ...
// Only this process is affected (the flag is not passed on to children).
"use strict";
const net = require("node:net");
const HOST = process.env.CC_MCP_LISTEN_HOST || "127.0.0.1";
const listen = net.Server.prototype.listen;
net.Server.prototype.listen = function (...args) {
  const a0 = args[0];
  if (a0 !== null && typeof a0 === "object" && !Array.isArray(a0)) {
    // listen(options[, cb]); leave unix sockets and inherited handles alone
    if (a0.path === undefined && a0.fd === undefined && a0.handle === undefined && a0._handle === undefined) {
      args[0] = { ...a0, host: HOST };
    }
  } else if (typeof a0 === "number" || (typeof a0 === "string" && /^\d+$/.test(a0))) {
    // listen(port[, host][, backlog][, cb])
    if (typeof args[1] === "string") args[1] = HOST;
    else args.splice(1, 0, HOST);
  } else if (a0 === undefined || typeof a0 === "function") {
    // listen([cb]): a random port
    args.unshift(0, HOST);
  }
  return listen.apply(this, args);
};
