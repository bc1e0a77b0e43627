#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""Prometheus: Debian's real prometheus server scrapes ferry's /metrics
on loopback (its own temporary directory and port, stopped after at
most PROM_TIMEOUT s); the target must be up and the values Prometheus
stored must equal ferry's `show counters`. promtool lints the page, and
the endpoint answers 404 off /metrics."""
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import opstest as ops  # noqa: E402
ft = ops.ft

PROM_TIMEOUT = 40.0  # s for prometheus to start and scrape ferry once


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def http_get(url, timeout=5.0):
    try:
        with urllib.request.urlopen(url, timeout=timeout) as r:
            return r.status, r.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode()
    except OSError as e:
        return None, str(e)


class Prometheus:
    def __init__(self, target_port):
        self.dir = tempfile.mkdtemp(prefix="ferry-prom-")
        self.port = free_port()
        cfg = os.path.join(self.dir, "prometheus.yml")
        with open(cfg, "w") as f:
            f.write("global:\n  scrape_interval: 1s\n  scrape_timeout: 1s\n"
                    "scrape_configs:\n  - job_name: ferry\n    static_configs:\n"
                    "      - targets: ['127.0.0.1:%d']\n" % target_port)
        self.log = open(os.path.join(self.dir, "log"), "w+")
        self.proc = subprocess.Popen(
            ["prometheus", "--config.file=" + cfg,
             "--storage.tsdb.path=" + os.path.join(self.dir, "data"),
             "--web.listen-address=127.0.0.1:%d" % self.port],
            stdout=self.log, stderr=subprocess.STDOUT)
        self.api = "http://127.0.0.1:%d/api/v1/" % self.port

    def get(self, path):
        status, body = http_get(self.api + path)
        return json.loads(body) if status == 200 else None

    def wait_up(self):
        """The ferry target's state once scraped up, or the last seen."""
        deadline = time.monotonic() + PROM_TIMEOUT
        last = None
        while time.monotonic() < deadline and self.proc.poll() is None:
            t = self.get("targets")
            if t is not None:
                active = t["data"]["activeTargets"]
                last = active[0] if active else None
                if last and last["health"] == "up":
                    return last
            time.sleep(0.5)
        return last

    def query(self, expr):
        r = self.get("query?query=" + urllib.parse.quote(expr))
        out = {}
        for s in (r or {}).get("data", {}).get("result", []):
            labels = {k: v for k, v in s["metric"].items()
                      if k not in ("__name__", "job", "instance")}
            out[tuple(labels.values())[0] if labels else None] = float(s["value"][1])
        return out

    def stop(self):
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self.log.seek(0)
        text = self.log.read()
        self.log.close()
        shutil.rmtree(self.dir, ignore_errors=True)
        return text


def check_family(chk, prom, shown, metric, word, counter):
    got = prom.query(metric)
    want = {name: v[counter] for name, v in shown.get(word, {}).items()
            if counter in v}
    chk.ok(len(want) > 0, "show counters has %s lines" % word)
    for name, v in want.items():
        chk.eq(got.get(name), float(v), "%s{%s=%r}" % (metric, word, name))


def endpoint_checks(chk, port):
    base = "http://127.0.0.1:%d" % port
    status, body = http_get(base + "/metrics")
    chk.eq(status, 200, "GET /metrics status")
    p = subprocess.run(["promtool", "check", "metrics"], input=body,
                       capture_output=True, text=True, timeout=30)
    chk.eq(p.returncode, 0, "promtool check metrics", p.stdout + p.stderr)
    chk.eq(http_get(base + "/nothing")[0], 404, "GET /nothing status")
    req = urllib.request.Request(base + "/metrics", data=b"x", method="POST")
    try:
        code = urllib.request.urlopen(req, timeout=5).status
    except urllib.error.HTTPError as e:
        code = e.code
    chk.eq(code, 405, "POST /metrics status")
    # A client that connects and says nothing holds one slot, not the
    # management loop: scrapes and the CLI still answer at once.
    idle = [socket.create_connection(("127.0.0.1", port)) for _ in range(3)]
    status, _ = http_get(base + "/metrics")
    chk.eq(status, 200, "GET /metrics beside idle connections")
    for s in idle:
        s.close()
    return body


def main():
    binary = ft.setup()
    ops.need_tool("prometheus")
    ops.need_tool("promtool")
    chk = ft.Checks("ops-prometheus")
    ferry = ops.Ferry(binary, "prom")
    prom = None
    try:
        chk.set_group("endpoint")
        if not chk.ok(ferry.metrics_port is not None,
                      "ferry printed its metrics port"):
            return chk.summary()
        text = ferry.settle(ops.FORWARDED + ops.NO_ROUTE)
        body = endpoint_checks(chk, ferry.metrics_port)
        prom = Prometheus(ferry.metrics_port)
        chk.set_group("prometheus scrape")
        target = prom.wait_up()
        chk.eq((target or {}).get("health"), "up", "ferry target health",
               repr(target))
        time.sleep(1.5)  # one more scrape: the first may predate settle
        shown = ops.parse_counters(text)
        chk.set_group("values match show counters")
        check_family(chk, prom, shown, "ferry_port_rx_total", "port", "rx")
        check_family(chk, prom, shown, "ferry_port_tx_total", "port", "tx")
        check_family(chk, prom, shown, "ferry_node_packets_total", "node", None)
        check_family(chk, prom, shown, "ferry_drop_packets_total", "drop", None)
        chk.eq(prom.query("ferry_port_rx_total").get("in"),
               float(ops.FORWARDED + ops.NO_ROUTE), "in rx = packets sent")
        chk.eq(prom.query("ferry_drop_packets_total").get("ip4_no_route"),
               float(ops.NO_ROUTE), "ip4_no_route drops")
        chk.eq(ops.metric_samples(body).get(("ferry_drop_packets_total", "ip4_no_route")),
               float(ops.NO_ROUTE), "ip4_no_route on the page itself")
        chk.eq(ferry.counters(), text, "counters did not move meanwhile")
    finally:
        log = prom.stop() if prom is not None else ""
        status, _, err = ferry.stop()
    chk.set_group("processes")
    chk.eq(status, 0, "ferry exit status", err[-1500:])
    chk.ok("error" not in log.lower() or "level=error" not in log,
           "prometheus logged no error", log[-2000:])
    return chk.summary()


if __name__ == "__main__":
    sys.exit(main())
