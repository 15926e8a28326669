#!/usr/bin/env python3
"""Opens mTLS connections to SipTrunk and holds them idle, in batches driven by the calling script.

Each connection presents the peer's client certificate, completes the handshake, then sends a keep-alive ping
(CRLFCRLF, RFC 5626 section 4.4.1) and waits for SipTrunk's pong (CRLF): the pong proves SipTrunk accepted the
certificate and runs a flow for the connection, which a finished client handshake alone does not under TLS 1.3 (the
server checks the client's certificate after the client is done).

With --churn SECONDS it instead opens one connection at a time for that long, each checked with a ping and then
closed, and prints "handshakes N" at the end: full mTLS handshakes that SipTrunk is known to have accepted.

Otherwise, protocol on stdout/stdin, one line each: after every batch "held N" (N connections open so far), then the script
waits for a line on stdin ("more" opens the next batch, anything else or end of input closes everything and exits).
Errors go to stderr and end the run with exit status 1. Loopback only: the host must be in 127.0.0.0/8.
"""

import argparse
import ipaddress
import socket
import ssl
import sys
import time

PING = b"\r\n\r\n"
PONG = b"\r\n"


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--cert", required=True, help="client certificate (PEM)")
    parser.add_argument("--key", required=True, help="client private key (PEM)")
    parser.add_argument("--ca", required=True, help="CA that issued SipTrunk's certificate (PEM)")
    parser.add_argument("--count", type=int, default=1, help="connections to hold in all (1-100000)")
    parser.add_argument("--batch", type=int, default=0, help="connections per batch (0: all at once)")
    parser.add_argument("--protocol", choices=["tls1_2", "tls1_3"], default="tls1_3")
    parser.add_argument("--timeout", type=float, default=10.0, help="seconds for each connect, handshake and pong")
    parser.add_argument("--churn", type=float, default=0.0, help="seconds of open-ping-close cycles (0-600)")
    args = parser.parse_args()
    if not ipaddress.ip_address(args.host).is_loopback:
        parser.error("--host must be a loopback address")
    if not 0 <= args.churn <= 600:
        parser.error("--churn must be 0-600 seconds")
    if not 1 <= args.count <= 100000:
        parser.error("--count must be 1-100000")
    if args.batch <= 0 or args.batch > args.count:
        args.batch = args.count
    return args


def context(args):
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    version = ssl.TLSVersion.TLSv1_3 if args.protocol == "tls1_3" else ssl.TLSVersion.TLSv1_2
    ctx.minimum_version = version
    ctx.maximum_version = version
    ctx.load_verify_locations(args.ca)
    ctx.load_cert_chain(args.cert, args.key)
    # SipTrunk's development certificate names localhost and 127.0.0.1; the chain is what matters here.
    ctx.check_hostname = False
    return ctx


def open_one(ctx, args):
    raw = socket.create_connection((args.host, args.port), timeout=args.timeout)
    try:
        conn = ctx.wrap_socket(raw, server_hostname="localhost")
    except BaseException:
        raw.close()
        raise
    try:
        conn.sendall(PING)
        received = b""
        while len(received) < len(PONG):
            chunk = conn.recv(len(PONG) - len(received))
            if not chunk:
                raise ConnectionError("SipTrunk closed the connection instead of answering the keep-alive ping")
            received += chunk
        if received != PONG:
            raise ConnectionError(f"unexpected answer to the keep-alive ping: {received!r}")
        conn.settimeout(None)
        return conn
    except BaseException:
        conn.close()
        raise


def churn(ctx, args):
    deadline = time.monotonic() + args.churn
    done = 0
    while time.monotonic() < deadline:
        try:
            open_one(ctx, args).close()
        except (OSError, ssl.SSLError) as error:
            print(f"tls_hold: handshake {done + 1} failed: {error}", file=sys.stderr)
            return 1
        done += 1
    print(f"handshakes {done}", flush=True)
    return 0


def main():
    args = parse_args()
    ctx = context(args)
    if args.churn > 0:
        return churn(ctx, args)
    held = []
    try:
        while len(held) < args.count:
            target = min(args.count, len(held) + args.batch)
            while len(held) < target:
                try:
                    held.append(open_one(ctx, args))
                except (OSError, ssl.SSLError) as error:
                    print(f"tls_hold: connection {len(held) + 1} failed: {error}", file=sys.stderr)
                    return 1
            print(f"held {len(held)}", flush=True)
            if sys.stdin.readline().strip() != "more":
                break
        return 0
    finally:
        for conn in held:
            try:
                conn.close()
            except OSError:
                pass


if __name__ == "__main__":
    sys.exit(main())
