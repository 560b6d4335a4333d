#!/usr/bin/python3
"""A real SMTP server for autotune's notify tests, on 127.0.0.1 (Debian's python3-aiosmtpd).

Each accepted message is stored in --out as NNN.json (envelope sender and recipients), then
NNN.eml (the message as received), so a reader that sees the .eml sees both. Prints READY once it
accepts connections and runs until it is killed. Modes: --tls none, starttls or tls (implicit),
with --cert/--key; --user/--password require that login (AUTH PLAIN and LOGIN); --fail-first N
answers the first N messages with a temporary 451, to exercise the client's retries.
"""
import argparse
import json
import os
import ssl
import sys
import time

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword


class Store:
    def __init__(self, folder, fail_first):
        self.folder = folder
        self.fail_first = fail_first
        self.refused = 0
        self.count = 0

    async def handle_DATA(self, server, session, envelope):
        if self.refused < self.fail_first:
            self.refused += 1
            return "451 4.3.0 Try again later (test server)"
        self.count += 1
        base = os.path.join(self.folder, "%03d" % self.count)
        with open(base + ".json.tmp", "w") as f:
            json.dump({"from": envelope.mail_from, "to": envelope.rcpt_tos}, f)
        os.replace(base + ".json.tmp", base + ".json")
        with open(base + ".eml.tmp", "wb") as f:
            f.write(envelope.original_content or envelope.content)
        os.replace(base + ".eml.tmp", base + ".eml")
        return "250 2.0.0 Stored"


def login_check(user, password):
    def check(server, session, envelope, mechanism, auth_data):
        ok = (isinstance(auth_data, LoginPassword)
              and auth_data.login == user.encode()
              and auth_data.password == password.encode())
        # handled=False makes aiosmtpd answer 535 itself; with its default it would answer nothing.
        return AuthResult(success=ok, handled=False)
    return check


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--out", required=True)
    p.add_argument("--tls", choices=["none", "starttls", "tls"], default="none")
    p.add_argument("--cert")
    p.add_argument("--key")
    p.add_argument("--user")
    p.add_argument("--password")
    p.add_argument("--fail-first", type=int, default=0)
    a = p.parse_args()

    kwargs = {}
    context = None
    if a.tls != "none":
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(a.cert, a.key)
    if a.tls == "starttls":
        kwargs.update(tls_context=context, require_starttls=True)
    if a.user is not None:
        kwargs.update(authenticator=login_check(a.user, a.password or ""), auth_required=True,
                      # aiosmtpd 1.4 only counts STARTTLS as TLS, not an implicit-TLS socket.
                      auth_require_tls=(a.tls == "starttls"))
    controller = Controller(Store(a.out, a.fail_first), hostname="127.0.0.1", port=a.port,
                            ssl_context=context if a.tls == "tls" else None,
                            server_hostname="localhost", **kwargs)
    controller.start()
    print("READY", flush=True)
    try:
        while True:
            time.sleep(3600)
    finally:
        controller.stop()


if __name__ == "__main__":
    sys.exit(main())
