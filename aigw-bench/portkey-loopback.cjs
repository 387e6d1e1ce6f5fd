// Preloaded by report.sh into the Portkey gateway (node --require portkey-loopback.cjs ...), so
// that the proxy in the side-by-side stays on this machine's loopback:
//
// - every server it starts listens on 127.0.0.1 only (the gateway's own start-up passes no host,
//   which would listen on every interface);
// - every outbound TCP connection and every DNS lookup to anything but a loopback address or
//   "localhost" is refused before it starts, and reported on stderr as
//   "[loopback-only] blocked ...", which report.sh looks for in the gateway's log.
//
// The gateway is started with NODE_ENV=production, --headless and without proxy variables, and
// the benchmark only ever sends it requests for a loopback upstream, so nothing should be
// blocked; this is the guarantee, not the expectation.
'use strict';

const net = require('node:net');
const dns = require('node:dns');

const HOST = '127.0.0.1';

function isLoopback(host) {
  if (host === undefined || host === null || host === '') {
    return true; // node's default for a client is localhost
  }
  const h = String(host).toLowerCase().replace(/^\[|\]$/g, '');
  return h === 'localhost' || h === '::1' || /^127\.\d+\.\d+\.\d+$/.test(h) || /^::ffff:127\.\d+\.\d+\.\d+$/.test(h);
}

function blocked(what) {
  process.stderr.write(`[loopback-only] blocked ${what}\n`);
  return new Error(`loopback-only: ${what} is not allowed in this benchmark`);
}

// Servers: listen on loopback only.
const listen = net.Server.prototype.listen;
net.Server.prototype.listen = function (...args) {
  if (typeof args[0] === 'number' || (typeof args[0] === 'string' && /^\d+$/.test(args[0]))) {
    // listen(port[, host][, backlog][, callback]): put the host in second place, replacing any
    if (typeof args[1] === 'string' || args[1] === undefined || args[1] === null) {
      args[1] = HOST;
    } else {
      args.splice(1, 0, HOST);
    }
  } else if (args[0] && typeof args[0] === 'object' && args[0].port !== undefined && args[0].path === undefined) {
    args[0] = { ...args[0], host: HOST };
  }
  return listen.apply(this, args);
};

// Clients: loopback only. net.connect() and tls.connect() both end in Socket.prototype.connect;
// net.connect() passes its normalized arguments as one array.
const connect = net.Socket.prototype.connect;
net.Socket.prototype.connect = function (...args) {
  let first = args[0];
  if (Array.isArray(first)) {
    first = first[0];
  }
  let host;
  let port;
  if (first && typeof first === 'object') {
    if (first.path !== undefined) {
      return connect.apply(this, args); // a Unix socket stays on this machine
    }
    host = first.host;
    port = first.port;
  } else {
    port = first;
    host = typeof args[1] === 'string' ? args[1] : undefined;
  }
  if (!isLoopback(host)) {
    const error = blocked(`connection to ${host}:${port}`);
    process.nextTick(() => this.destroy(error));
    return this;
  }
  return connect.apply(this, args);
};

// DNS: no lookups of names beyond this machine.
const lookup = dns.lookup;
dns.lookup = function (hostname, ...rest) {
  if (!isLoopback(hostname)) {
    const callback = rest.find((a) => typeof a === 'function');
    const error = blocked(`DNS lookup of ${hostname}`);
    if (callback) {
      process.nextTick(() => callback(error));
      return undefined;
    }
    throw error;
  }
  return lookup.call(this, hostname, ...rest);
};
const promisesLookup = dns.promises.lookup;
dns.promises.lookup = function (hostname, ...rest) {
  if (!isLoopback(hostname)) {
    return Promise.reject(blocked(`DNS lookup of ${hostname}`));
  }
  return promisesLookup.call(this, hostname, ...rest);
};
