#!/usr/bin/python3
"""An SMTP sink for the tests (no TLS, no auth): each message lands in
OUT/NNNN.eml, the envelope in OUT/NNNN.env. Binds 127.0.0.1 only; standard
library only (smtpd is gone from Python 3.12).

usage: smtp-sink.py OUT PORT   (PORT 0 picks one, written to OUT/port)"""

import os
import socketserver
import sys
import threading

out, port = sys.argv[1], int(sys.argv[2])
os.makedirs(out, exist_ok=True)
lock = threading.Lock()
count = [0]


class Handler(socketserver.StreamRequestHandler):
    def say(self, line):
        self.wfile.write(line.encode() + b"\r\n")
        self.wfile.flush()

    def handle(self):
        mail_from, rcpt = None, []
        self.say("220 127.0.0.1 updraft test sink")
        while True:
            line = self.rfile.readline()
            if not line:
                return
            cmd = line.decode("utf-8", "replace").rstrip("\r\n")
            verb = cmd.split(" ", 1)[0].upper()
            if verb == "EHLO":
                self.say("250-127.0.0.1")
                self.say("250-8BITMIME")
                self.say("250 SIZE 10485760")
            elif verb == "HELO":
                self.say("250 127.0.0.1")
            elif verb == "MAIL":
                mail_from, rcpt = cmd[10:].strip(), []
                self.say("250 OK")
            elif verb == "RCPT":
                rcpt.append(cmd[8:].strip())
                self.say("250 OK")
            elif verb == "DATA":
                self.say("354 end with <CRLF>.<CRLF>")
                lines = []
                while True:
                    l = self.rfile.readline()
                    if not l or l == b".\r\n":
                        break
                    if l.startswith(b".."):
                        l = l[1:]
                    lines.append(l)
                with lock:
                    count[0] += 1
                    name = os.path.join(out, "%04d" % count[0])
                with open(name + ".env", "w") as f:
                    f.write("from %s\nto %s\n" % (mail_from, " ".join(rcpt)))
                with open(name + ".tmp", "wb") as f:
                    f.write(b"".join(lines))
                os.rename(name + ".tmp", name + ".eml")
                self.say("250 OK queued")
            elif verb in ("RSET", "NOOP"):
                self.say("250 OK")
            elif verb == "QUIT":
                self.say("221 bye")
                return
            else:
                self.say("502 not implemented")


socketserver.ThreadingTCPServer.allow_reuse_address = True
srv = socketserver.ThreadingTCPServer(("127.0.0.1", port), Handler)
srv.daemon_threads = True
with open(os.path.join(out, "port.tmp"), "w") as f:
    f.write("%d\n" % srv.server_address[1])
os.rename(os.path.join(out, "port.tmp"), os.path.join(out, "port"))
srv.serve_forever()
