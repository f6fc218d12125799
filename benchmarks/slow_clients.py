#!/usr/bin/env python3
"""Slow and flooding clients against an HTTP/1.1 server (issue 15), standard library only.

  loris  N connections each send half a request head, then one more header line every INTERVAL
         seconds; every REPORT seconds, and at the end (SECS), how many are still open, how many were
         answered 408, how many closed without an answer; a normal request on a fresh connection is
         timed halfway through.
  flood  COUNT connections opened as fast as the machine allows and left idle: how many the server
         holds, how many it answers 503, how many cannot connect; a normal request is timed during the
         flood; with HOLD, how many the server still holds HOLD seconds after the first connect; a
         normal request again after the flood's connections are closed.

Every socket lives in this one process, so its open-file limit must exceed N or COUNT (the shell
script raises the soft limit to the hard one).
"""
import argparse
import selectors
import socket
import sys
import time


def probe(host, port, path="/health", timeout=5.0):
    """One request on a fresh connection: (status or error text, milliseconds)."""
    t0 = time.monotonic()
    try:
        with socket.create_connection((host, port), timeout=timeout) as s:
            s.settimeout(timeout)
            s.sendall(f"GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".encode())
            data = b""
            while b"\r\n" not in data:
                chunk = s.recv(4096)
                if not chunk:
                    break
                data += chunk
            line = data.split(b"\r\n", 1)[0].decode(errors="replace")
            status = line.split(" ")[1] if line.startswith("HTTP/") else f"no answer ({line!r})"
    except OSError as e:
        status = f"error: {e.strerror or e}"
    return status, (time.monotonic() - t0) * 1000


def connect(host, port, n, timeout):
    """Opens n connections one after another; returns (sockets, failures by reason)."""
    socks, failures = [], {}
    for _ in range(n):
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        s.settimeout(timeout)
        try:
            s.connect((host, port))
        except OSError as e:
            s.close()
            reason = e.strerror or type(e).__name__
            failures[reason] = failures.get(reason, 0) + 1
            if reason == "Too many open files":
                break
            continue
        s.setblocking(False)
        socks.append(s)
    return socks, failures


class Watch:
    """Reads every socket until the server answers or closes it: what each one got, and when."""

    def __init__(self, socks, t0):
        self.t0 = t0
        self.sel = selectors.DefaultSelector()
        self.state = {}
        for s in socks:
            self.sel.register(s, selectors.EVENT_READ)
            self.state[s] = [b"", None]  # bytes read, time closed

    def poll(self, seconds):
        end = time.monotonic() + seconds
        while True:
            left = end - time.monotonic()
            if left <= 0:
                return
            for key, _ in self.sel.select(min(left, 0.5)):
                s = key.fileobj
                try:
                    data = s.recv(4096)
                except (ConnectionResetError, BrokenPipeError):
                    data = b""
                except BlockingIOError:
                    continue
                st = self.state[s]
                if data:
                    st[0] += data
                else:
                    st[1] = time.monotonic() - self.t0
                    self.sel.unregister(s)
                    s.close()

    def open(self):
        return [s for s, st in self.state.items() if st[1] is None]

    def counts(self):
        c = {"open": 0, "408": 0, "503": 0, "closed without an answer": 0, "other answer": 0}
        for st in self.state.values():
            status = st[0][9:12].decode(errors="replace") if st[0].startswith(b"HTTP/1.1 ") else None
            if st[1] is None and status is None:
                c["open"] += 1
            elif status in ("408", "503"):
                c[status] += 1
            elif status is None:
                c["closed without an answer"] += 1
            else:
                c["other answer"] += 1
        return c

    def close_times(self):
        return sorted(st[1] for st in self.state.values() if st[1] is not None)

    def close_all(self):
        for s in self.open():
            self.sel.unregister(s)
            s.close()


def summary(counts):
    return ", ".join(f"{k} {v}" for k, v in counts.items() if v or k == "open")


def loris(a):
    t0 = time.monotonic()
    socks, failures = connect(a.host, a.port, a.n, 5.0)
    print(f"loris: {len(socks)} of {a.n} connected in {time.monotonic() - t0:.1f} s"
          + (f"; failed: {failures}" if failures else ""), flush=True)
    for s in socks:
        s.send(b"GET /v1/models HTTP/1.1\r\nHost: x\r\n")
    w = Watch(socks, t0)
    line, next_line, next_report, probed = 0, a.interval, a.report, False
    while True:
        now = time.monotonic() - t0
        if now >= a.secs:
            break
        w.poll(max(0.0, min(next_line, next_report, a.secs) - now))
        now = time.monotonic() - t0
        if now >= next_line:
            for s in w.open():
                try:
                    s.send(f"X-Slow-{line}: {line}\r\n".encode())
                except OSError:
                    pass  # closed by the server; the watch sees it
            line += 1
            next_line += a.interval
        if not probed and now >= a.secs / 2:
            status, ms = probe(a.host, a.port)
            print(f"loris: t={now:.0f} s a normal request on a new connection: {status} in {ms:.1f} ms", flush=True)
            probed = True
        if now >= next_report:
            print(f"loris: t={now:.0f} s {summary(w.counts())}", flush=True)
            next_report += a.report
    w.poll(0.2)
    times = w.close_times()
    print(f"loris: after {a.secs:g} s (a header line every {a.interval:g} s): {summary(w.counts())}")
    if times:
        print(f"loris: closed between {times[0]:.1f} s and {times[-1]:.1f} s after the first connect"
              f" (median {times[len(times) // 2]:.1f} s)")
    w.close_all()


def flood(a):
    before, ms = probe(a.host, a.port)
    print(f"flood: before: a normal request: {before} in {ms:.1f} ms", flush=True)
    t0 = time.monotonic()
    socks, failures = connect(a.host, a.port, a.count, 3.0)
    took = time.monotonic() - t0
    w = Watch(socks, t0)
    w.poll(a.settle)
    print(f"flood: {len(socks)} of {a.count} connected in {took:.1f} s"
          + (f"; failed to connect: {failures}" if failures else ""), flush=True)
    print(f"flood: {a.settle:g} s after the last connect: {summary(w.counts())}", flush=True)
    status, ms = probe(a.host, a.port)
    print(f"flood: during: a normal request on a new connection: {status} in {ms:.1f} ms", flush=True)
    if a.hold > 0:
        w.poll(max(0.0, a.hold - (time.monotonic() - t0)))
        times = w.close_times()
        print(f"flood: {a.hold:g} s after the first connect: {summary(w.counts())}"
              + (f"; the last closed by the server at {times[-1]:.1f} s" if times else ""), flush=True)
    held = len(w.open())
    w.close_all()
    time.sleep(a.settle)  # the server sees the closes
    after, ms = probe(a.host, a.port)
    print(f"flood: after closing the {held} held: a normal request: {after} in {ms:.1f} ms", flush=True)


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("mode", choices=["loris", "flood"])
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--n", type=int, default=200, help="loris: connections")
    p.add_argument("--interval", type=float, default=20, help="loris: seconds between header lines")
    p.add_argument("--secs", type=float, default=100, help="loris: how long to keep trickling")
    p.add_argument("--report", type=float, default=10, help="loris: seconds between progress lines")
    p.add_argument("--count", type=int, default=19900, help="flood: connections")
    p.add_argument("--hold", type=float, default=0,
                   help="flood: then keep the connections until this many seconds after the first connect")
    p.add_argument("--settle", type=float, default=2, help="flood: seconds to read answers after connecting")
    a = p.parse_args()
    (loris if a.mode == "loris" else flood)(a)


if __name__ == "__main__":
    sys.exit(main())
