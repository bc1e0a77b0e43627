# SPDX-License-Identifier: BSD-3-Clause
"""Turn a bench run's CSV into doc/benchmarks.md's results table and PNG
plots (gnuplot, Debian's gnuplot-nox)."""
import csv
import os
import re
import subprocess

BEGIN, END = "<!-- bench:begin -->", "<!-- bench:end -->"


def num(v):
    try:
        return float(v)
    except (TypeError, ValueError):
        return None


def fmt(v, spec):
    x = num(v)
    return spec % x if x is not None else "–"


def table(rows, header):
    out = [header, "",
           "| scenario | bytes | Mpps | Gbps | cyc/pkt | instr/pkt | net ns | "
           "peer | peer Mpps | peer instr/pkt | ferry/peer |",
           "|---|---:|---:|---:|---:|---:|---:|---|---:|---:|---:|"]
    for r in rows:
        out.append("| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |" % (
            r["scenario"], fmt(r["bytes"], "%.0f"), fmt(r["mpps"], "%.2f"),
            fmt(r["gbps"], "%.2f"), fmt(r["cyc_pkt"], "%.0f"),
            fmt(r["instr_pkt"], "%.0f"), fmt(r["net_ns"], "%.1f"),
            r["peer"] or "–", fmt(r["peer_mpps"], "%.2f"),
            fmt(r["peer_instr_pkt"], "%.0f"), fmt(r["ratio"], "%.2f")))
    notes = [r for r in rows if r.get("note")]
    if notes:
        out += ["", "Notes from the run:", ""]
        out += ["- %s:%s" % (r["scenario"], r["note"]) for r in notes]
    return "\n".join(out) + "\n"


def gnuplot(script, cwd):
    r = subprocess.run(["gnuplot"], input=script, text=True, cwd=cwd,
                       capture_output=True)
    if r.returncode != 0:
        print("report: gnuplot: %s" % r.stderr.strip()[-300:])


def plot_peers(rows, docdir):
    data = [r for r in rows if num(r["mpps"]) and num(r["peer_mpps"])]
    if not data:
        return None
    dat = os.path.join(docdir, "bench-peers.dat")
    with open(dat, "w") as f:
        for r in data:
            f.write('"%s" %s %s\n' % (r["scenario"], r["mpps"], r["peer_mpps"]))
    gnuplot("""set terminal pngcairo size 1200,600 noenhanced
set output 'bench-peers.png'
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.8 border -1
set ylabel 'Mpps, one core'
set xtics rotate by -35
set key top right
set title 'ferry vs DPDK example apps, same captures, same run'
plot 'bench-peers.dat' using 2:xtic(1) title 'ferry', '' using 3 title 'peer'
""", docdir)
    os.unlink(dat)
    return "bench-peers.png"


def plot_esp(rows, docdir):
    series = {}
    for r in rows:
        m = re.match(r"esp-(out|in)-(.+)-(\d+)$", r["scenario"])
        if m and num(r["mpps"]):
            series.setdefault("%s %s" % (m.group(2), m.group(1)), []).append(
                (int(m.group(3)), num(r["mpps"])))
    if not series:
        return None
    dat = os.path.join(docdir, "bench-esp.dat")
    plots = []
    with open(dat, "w") as f:
        for i, (k, pts) in enumerate(sorted(series.items())):
            f.write("# %s\n" % k)
            for size, mpps in sorted(pts):
                f.write("%d %f\n" % (size, mpps))
            f.write("\n\n")
            plots.append("'bench-esp.dat' index %d with linespoints title '%s'"
                         % (i, k))
    gnuplot("""set terminal pngcairo size 1000,600 noenhanced
set output 'bench-esp.png'
set xlabel 'plaintext frame bytes'
set ylabel 'Mpps, one core'
set logscale y
set key outside right
set title 'ferry ESP tunnel: rate vs packet size'
plot %s
""" % ", ".join(plots), docdir)
    os.unlink(dat)
    return "bench-esp.png"


def plot_nodes(nodes, docdir):
    """@nodes: [(case, node, cycles per packet)] from rte_graph's stats."""
    if not nodes:
        return None
    dat = os.path.join(docdir, "bench-nodes.dat")
    with open(dat, "w") as f:
        for case, node, cyc in nodes:
            f.write('"%s:%s" %f\n' % (case, node, cyc))
    gnuplot("""set terminal pngcairo size 1200,600 noenhanced
set output 'bench-nodes.png'
set style data histograms
set style fill solid 0.8 border -1
set ylabel 'cycles per packet (rte_graph stats)'
set xtics rotate by -45
set key off
set title 'ferry: cost of each graph node'
set rmargin 12
plot 'bench-nodes.dat' using 2:xtic(1)
""", docdir)
    os.unlink(dat)
    return "bench-nodes.png"


def write(csv_path, md_path, header, nodes=None):
    with open(csv_path) as f:
        rows = list(csv.DictReader(f))
    docdir = os.path.dirname(md_path)
    plots = [p for p in (plot_peers(rows, docdir), plot_esp(rows, docdir),
                         plot_nodes(nodes or [], docdir)) if p]
    body = table(rows, header)
    if plots:
        body += "\n" + "\n".join("![%s](%s)" % (p[:-4], p) for p in plots) + "\n"
    with open(md_path) as f:
        text = f.read()
    if BEGIN not in text or END not in text:
        raise RuntimeError("%s: no %s ... %s markers" % (md_path, BEGIN, END))
    head, rest = text.split(BEGIN, 1)
    tail = rest.split(END, 1)[1]
    with open(md_path, "w") as f:
        f.write(head + BEGIN + "\n" + body + END + tail)
