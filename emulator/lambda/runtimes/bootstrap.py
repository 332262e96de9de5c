"""The emulator's runtime client for python3.x functions.

It does what AWS's Python runtime does, with the standard library only:
import the handler named by _HANDLER ("module.function") from
LAMBDA_TASK_ROOT, then loop on the Lambda Runtime API, calling the handler
with the event and a context object and posting its result or error in
AWS's shape. Import failures go to /init/error and end the process, as on
AWS. print() and logging output go to stdout, which the emulator files
under the invocation.
"""

import http.client
import importlib
import json
import logging
import os
import sys
import time
import traceback

API = os.environ["AWS_LAMBDA_RUNTIME_API"]
BASE = "/2018-06-01/runtime"
TASK_ROOT = os.environ.get("LAMBDA_TASK_ROOT", os.getcwd())
RUNTIME_FILE = os.path.abspath(__file__)


class Client:
    """A keep-alive connection to the Runtime API, reopened when it drops."""

    def __init__(self):
        self.conn = None

    def call(self, method, path, body=None, headers=None):
        for attempt in (0, 1):
            if self.conn is None:
                self.conn = http.client.HTTPConnection(API)
            try:
                self.conn.request(method, BASE + path, body=body, headers=headers or {})
                resp = self.conn.getresponse()
                return resp, resp.read()
            except (http.client.HTTPException, OSError):
                self.conn.close()
                self.conn = None
                if attempt:
                    raise

    def post(self, path, doc, error_type=None):
        headers = {"Content-Type": "application/json"}
        if error_type:
            headers["Lambda-Runtime-Function-Error-Type"] = error_type
        sys.stdout.flush()
        sys.stderr.flush()
        self.call("POST", path, body=doc, headers=headers)


class FaultError(Exception):
    """An error of the runtime itself (Runtime.*), not of the function."""

    def __init__(self, error_type, message, trace=None):
        super().__init__(message)
        self.error_type = error_type
        self.trace = trace or []


class LambdaContext:
    """The context object AWS passes to Python handlers."""

    def __init__(self, request_id, deadline_ms, arn):
        self.aws_request_id = request_id
        self.invoked_function_arn = arn
        self.function_name = os.environ.get("AWS_LAMBDA_FUNCTION_NAME")
        self.function_version = os.environ.get("AWS_LAMBDA_FUNCTION_VERSION")
        self.memory_limit_in_mb = os.environ.get("AWS_LAMBDA_FUNCTION_MEMORY_SIZE")
        self.log_group_name = os.environ.get("AWS_LAMBDA_LOG_GROUP_NAME")
        self.log_stream_name = os.environ.get("AWS_LAMBDA_LOG_STREAM_NAME")
        self.identity = None
        self.client_context = None
        self._deadline_ms = deadline_ms

    def get_remaining_time_in_millis(self):
        return max(self._deadline_ms - int(time.time() * 1000), 0)


def error_doc(error_type, message, trace, request_id=""):
    return json.dumps({"errorMessage": message, "errorType": error_type, "requestId": request_id, "stackTrace": trace}).encode()


def user_trace(tb):
    """The traceback's frames outside this file, as AWS lists them."""
    frames = [f for f in traceback.extract_tb(tb) if os.path.abspath(f.filename) != RUNTIME_FILE]
    return traceback.format_list(frames)


def load_handler(spec):
    try:
        modname, fname = spec.rsplit(".", 1)
    except ValueError as e:
        raise FaultError("Runtime.MalformedHandlerName", "Bad handler '%s': %s" % (spec, e))
    if modname.split(".")[0] in sys.builtin_module_names:
        raise FaultError("Runtime.BuiltInModuleConflict", "Cannot use built-in module %s as a handler module" % modname)
    try:
        module = importlib.import_module(modname.replace("/", "."))
    except ImportError as e:
        raise FaultError("Runtime.ImportModuleError", "Unable to import module '%s': %s" % (modname, e))
    except SyntaxError as e:
        trace = ['  File "%s" Line %s\n    %s' % (e.filename, e.lineno, e.text)]
        raise FaultError("Runtime.UserCodeSyntaxError", "Syntax error in module '%s': %s" % (modname, e), trace)
    handler = getattr(module, fname, None)
    if handler is None:
        # AWS reports a missing handler when it is called, not at init.
        fault = FaultError("Runtime.HandlerNotFound", "Handler '%s' missing on module '%s'" % (fname, modname))

        def missing(event, context):
            raise fault

        return missing
    return handler


class RequestIdFilter(logging.Filter):
    """Stamps log records with the current request id, as AWS's handler does."""

    request_id = ""

    def filter(self, record):
        record.aws_request_id = RequestIdFilter.request_id
        return True


def setup_logging():
    handler = logging.StreamHandler(sys.stdout)
    handler.addFilter(RequestIdFilter())
    fmt = logging.Formatter("[%(levelname)s]\t%(asctime)s.%(msecs)03dZ\t%(aws_request_id)s\t%(message)s", "%Y-%m-%dT%H:%M:%S")
    fmt.converter = time.gmtime
    handler.setFormatter(fmt)
    logging.getLogger().addHandler(handler)


def log_error(error_type, message, trace):
    lines = ["[ERROR] %s: %s" % (error_type, message)]
    if trace:
        lines.append("Traceback (most recent call last):")
        lines.extend(t.rstrip("\n") for t in trace)
    print("\n".join(lines), flush=True)


def main():
    sys.path.insert(0, TASK_ROOT)
    if sys.path[1] == os.path.dirname(RUNTIME_FILE):
        del sys.path[1]  # the runtime's own directory is not the function's
    setup_logging()
    client = Client()
    try:
        handler = load_handler(os.environ.get("_HANDLER", ""))
    except FaultError as e:
        log_error(e.error_type, str(e), e.trace)
        client.post("/init/error", error_doc(e.error_type, str(e), e.trace), e.error_type)
        sys.exit(1)
    except Exception as e:
        trace = user_trace(e.__traceback__)
        log_error(type(e).__name__, str(e), trace)
        client.post("/init/error", error_doc(type(e).__name__, str(e), trace), "Runtime.Unknown")
        sys.exit(1)
    while True:
        resp, body = client.call("GET", "/invocation/next")
        request_id = resp.getheader("Lambda-Runtime-Aws-Request-Id")
        RequestIdFilter.request_id = request_id
        os.environ["_X_AMZN_TRACE_ID"] = resp.getheader("Lambda-Runtime-Trace-Id") or ""
        context = LambdaContext(request_id, int(resp.getheader("Lambda-Runtime-Deadline-Ms") or 0),
                                resp.getheader("Lambda-Runtime-Invoked-Function-Arn"))
        path = "/invocation/%s" % request_id
        try:
            result = handler(json.loads(body or b"null"), context)
        except FaultError as e:
            log_error(e.error_type, str(e), e.trace)
            client.post(path + "/error", error_doc(e.error_type, str(e), e.trace, request_id), e.error_type)
            continue
        except Exception as e:
            trace = user_trace(e.__traceback__)
            log_error(type(e).__name__, str(e), trace)
            client.post(path + "/error", error_doc(type(e).__name__, str(e), trace, request_id), "Unhandled")
            continue
        try:
            payload = json.dumps(result).encode()
        except (TypeError, ValueError) as e:
            msg = "Unable to marshal response: %s" % e
            log_error("Runtime.MarshalError", msg, [])
            client.post(path + "/error", error_doc("Runtime.MarshalError", msg, [], request_id), "Runtime.MarshalError")
            continue
        client.post(path + "/response", payload)


if __name__ == "__main__":
    main()
