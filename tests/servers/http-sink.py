#!/usr/bin/python3
"""A webhook sink for the tests: each POST's body lands in OUT/NNNN.body,
its path and headers in OUT/NNNN.head. Binds 127.0.0.1 only.

usage: http-sink.py OUT PORT [--status CODE] [--hang]
PORT 0 picks a free port; the port is written to OUT/port once listening.
--hang accepts connections and never answers (a timeout, for curl)."""

import http.server
import os
import socket
import sys
import threading
import time

out, port = sys.argv[1], int(sys.argv[2])
status = int(sys.argv[sys.argv.index("--status") + 1]) if "--status" in sys.argv else 200
os.makedirs(out, exist_ok=True)
lock = threading.Lock()
count = [0]


def next_name():
    with lock:
        count[0] += 1
        return os.path.join(out, "%04d" % count[0])


class Handler(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        name = next_name()
        with open(name + ".head.tmp", "w") as f:
            f.write("POST %s\n%s" % (self.path, self.headers))
        with open(name + ".body.tmp", "wb") as f:
            f.write(body)
        os.rename(name + ".head.tmp", name + ".head")
        os.rename(name + ".body.tmp", name + ".body")
        self.send_response(status)
        self.send_header("Content-Type", "text/plain")
        self.end_headers()
        self.wfile.write(b"ok\n" if status < 300 else b"sink says no\n")

    def log_message(self, fmt, *args):
        pass


if "--hang" in sys.argv:
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(("127.0.0.1", port))
    s.listen(64)
    with open(os.path.join(out, "port"), "w") as f:
        f.write("%d\n" % s.getsockname()[1])
    held = []
    while True:
        c, _ = s.accept()
        held.append(c)      # read nothing, answer nothing
else:
    http.server.ThreadingHTTPServer.allow_reuse_address = True
    srv = http.server.ThreadingHTTPServer(("127.0.0.1", port), Handler)
    with open(os.path.join(out, "port.tmp"), "w") as f:
        f.write("%d\n" % srv.server_address[1])
    os.rename(os.path.join(out, "port.tmp"), os.path.join(out, "port"))
    srv.serve_forever()
