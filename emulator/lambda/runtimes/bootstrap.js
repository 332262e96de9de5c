// The emulator's runtime client for nodejs functions.
//
// It does what AWS's Node.js runtime does, with Node's own modules only:
// load the handler named by _HANDLER ("file.export", the file a CommonJS
// .js/.cjs or an ES module .mjs, or .js under "type": "module") from
// LAMBDA_TASK_ROOT, then loop on the Lambda Runtime API, calling the handler
// (async, or callback style) with the event and a context object and posting
// its result or error in AWS's shape. Load failures go to /init/error and end
// the process, as on AWS. console output goes to stdout with AWS's
// "time<TAB>request id<TAB>LEVEL<TAB>message" prefix.
"use strict";

const http = require("http");
const path = require("path");
const fs = require("fs");
const util = require("util");
const { pathToFileURL } = require("url");

const [host, port] = process.env.AWS_LAMBDA_RUNTIME_API.split(":");
const BASE = "/2018-06-01/runtime";
const TASK_ROOT = process.env.LAMBDA_TASK_ROOT || process.cwd();
const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });

let currentRequestId = "";

function call(method, p, body, headers) {
  return new Promise((resolve, reject) => {
    const req = http.request({ host, port, method, path: BASE + p, agent, headers: headers || {} }, (res) => {
      const chunks = [];
      res.on("data", (c) => chunks.push(c));
      res.on("end", () => resolve({ res, body: Buffer.concat(chunks) }));
    });
    req.on("error", reject);
    if (body !== undefined) req.write(body);
    req.end();
  });
}

function post(p, doc, errorType) {
  const headers = { "Content-Type": "application/json" };
  if (errorType) headers["Lambda-Runtime-Function-Error-Type"] = errorType;
  return call("POST", p, doc, headers);
}

function patchConsole() {
  const write = (level) => (...args) => {
    process.stdout.write(`${new Date().toISOString()}\t${currentRequestId}\t${level}\t${util.format(...args)}\n`);
  };
  console.log = write("INFO");
  console.info = write("INFO");
  console.warn = write("WARN");
  console.error = write("ERROR");
  console.debug = write("DEBUG");
  console.trace = write("TRACE");
}

class FaultError extends Error {
  constructor(type, message) {
    super(message);
    this.name = type;
  }
}

// errorDoc is AWS's Node error shape: errorType, errorMessage, trace.
function errorDoc(err) {
  if (!(err instanceof Error)) {
    return { errorType: "Error", errorMessage: typeof err === "string" ? err : JSON.stringify(err) ?? String(err), trace: [] };
  }
  return { errorType: err.name || "Error", errorMessage: err.message, trace: (err.stack || "").split("\n") };
}

async function loadModule(base) {
  const candidates = [".js", ".mjs", ".cjs"].map((ext) => base + ext).filter((f) => fs.existsSync(f));
  if (candidates.length === 0) {
    throw new FaultError("Runtime.ImportModuleError", `Error: Cannot find module '${path.relative(TASK_ROOT, base)}'`);
  }
  const file = candidates[0];
  try {
    if (file.endsWith(".mjs")) return await import(pathToFileURL(file).href);
    try {
      return require(file);
    } catch (e) {
      // A .js file under "type": "module" is an ES module.
      if (e && (e.code === "ERR_REQUIRE_ESM" || e.code === "ERR_REQUIRE_ASYNC_MODULE")) return await import(pathToFileURL(file).href);
      throw e;
    }
  } catch (e) {
    if (e instanceof SyntaxError) throw new FaultError("Runtime.UserCodeSyntaxError", `${e.name}: ${e.message}`);
    if (e && e.code === "MODULE_NOT_FOUND") throw new FaultError("Runtime.ImportModuleError", `Error: ${e.message}`);
    throw e;
  }
}

async function loadHandler(spec) {
  const base = path.basename(spec);
  const dot = base.indexOf(".");
  if (dot <= 0 || dot === base.length - 1) {
    throw new FaultError("Runtime.MalformedHandlerName", `Bad handler ${spec}`);
  }
  const modulePath = path.resolve(TASK_ROOT, path.dirname(spec), base.slice(0, dot));
  let fn = await loadModule(modulePath);
  for (const key of base.slice(dot + 1).split(".")) {
    fn = fn == null ? undefined : fn[key];
  }
  if (typeof fn !== "function") {
    throw new FaultError("Runtime.HandlerNotFound", `${spec} is undefined or not exported`);
  }
  return fn;
}

function makeContext(res) {
  const deadline = Number(res.headers["lambda-runtime-deadline-ms"] || 0);
  return {
    awsRequestId: res.headers["lambda-runtime-aws-request-id"],
    invokedFunctionArn: res.headers["lambda-runtime-invoked-function-arn"],
    functionName: process.env.AWS_LAMBDA_FUNCTION_NAME,
    functionVersion: process.env.AWS_LAMBDA_FUNCTION_VERSION,
    memoryLimitInMB: process.env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE,
    logGroupName: process.env.AWS_LAMBDA_LOG_GROUP_NAME,
    logStreamName: process.env.AWS_LAMBDA_LOG_STREAM_NAME,
    callbackWaitsForEmptyEventLoop: true,
    getRemainingTimeInMillis: () => Math.max(deadline - Date.now(), 0),
  };
}

// runHandler calls an async handler, or a callback-style one (three
// parameters, no promise returned), and settles with its outcome.
function runHandler(handler, event, context) {
  return new Promise((resolve, reject) => {
    let settled = false;
    const callback = (err, result) => {
      if (settled) return;
      settled = true;
      if (err !== undefined && err !== null) reject(err);
      else resolve(result);
    };
    let out;
    try {
      out = handler(event, context, callback);
    } catch (e) {
      callback(e);
      return;
    }
    if (out && typeof out.then === "function") {
      out.then((r) => callback(null, r), (e) => callback(e === undefined || e === null ? new Error("handler rejected") : e));
    } else if (handler.length < 3) {
      callback(null, out);
    }
  });
}

function logInvokeError(doc) {
  console.error("Invoke Error \t" + JSON.stringify({ errorType: doc.errorType, errorMessage: doc.errorMessage, stack: doc.trace }));
}

async function main() {
  patchConsole();
  let handler;
  try {
    handler = await loadHandler(process.env._HANDLER || "");
  } catch (e) {
    const doc = errorDoc(e);
    process.stdout.write(`${new Date().toISOString()}\tundefined\tERROR\tUncaught Exception \t${JSON.stringify(doc)}\n`);
    await post("/init/error", JSON.stringify(doc), doc.errorType);
    process.exit(1);
  }
  let current = null;
  const failCurrent = async (err) => {
    const doc = errorDoc(err);
    logInvokeError(doc);
    if (current) await post(`/invocation/${current}/error`, JSON.stringify(doc), "Runtime.UnhandledPromiseRejection").catch(() => {});
    process.exit(1);
  };
  process.on("uncaughtException", failCurrent);
  process.on("unhandledRejection", failCurrent);
  for (;;) {
    const { res, body } = await call("GET", "/invocation/next");
    const context = makeContext(res);
    current = currentRequestId = context.awsRequestId;
    process.env._X_AMZN_TRACE_ID = res.headers["lambda-runtime-trace-id"] || "";
    const p = `/invocation/${current}`;
    let result;
    try {
      const event = JSON.parse(body.length ? body.toString("utf8") : "null");
      result = await runHandler(handler, event, context);
    } catch (e) {
      const doc = errorDoc(e);
      logInvokeError(doc);
      await post(p + "/error", JSON.stringify(doc), doc.errorType);
      current = null;
      continue;
    }
    let payload;
    try {
      payload = JSON.stringify(result === undefined ? null : result);
    } catch (e) {
      const doc = { errorType: "Runtime.MarshalError", errorMessage: `Unable to stringify response body: ${e.message}`, trace: [] };
      logInvokeError(doc);
      await post(p + "/error", JSON.stringify(doc), doc.errorType);
      current = null;
      continue;
    }
    await post(p + "/response", payload);
    current = null;
  }
}

main();
