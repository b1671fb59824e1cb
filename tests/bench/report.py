#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""report.py - turn the benchmark's raw JSON lines into results and a table.

    report.py RAW.jsonl [--json RESULTS.json] [--meta K=V ...]
        aggregate, write RESULTS.json, print the table
    report.py --check RESULTS.json
        exit 0 if RESULTS.json is well formed and every part produced
        figures (the smoke test's criterion; never a judgement on speed)
    report.py --table RESULTS.json
        print the table of an earlier run
    report.py RESULTS.json --json NEW.json
        aggregate an earlier run's raw measurements again

Data path: every figure is a ratio to "none" (no module) of the same round
and packet size, so the speed of the machine cancels out; per configuration
the median over rounds and the spread (min..max) are given. Micro: ns per
call and the ratio to an empty call through a pointer. Targets are marked
met/missed for information: a benchmark never fails a run on slowness.
"""

import json
import statistics
import sys


def median(v):
    return statistics.median(v) if v else None


def datapath(raw):
    """Ratios per sub-round to the phase's baseline (see datapath.sh):
    mod-* to inert, nft-* to none; inert to none per round (medians)."""
    rows = [r for r in raw if r.get("part") == "datapath"]
    pps = {}
    for r in rows:
        pps[(r["round"], r.get("sub", 1), r["config"], r["size"])] = r["pps"]

    def round_median(rnd, cfg, size):
        return median([v for (r, _, c, z), v in pps.items()
                       if r == rnd and c == cfg and z == size])
    out = {}
    for (rnd, sub, cfg, size), v in sorted(pps.items()):
        if cfg.startswith("mod-"):
            base_cfg, b = "inert", pps.get((rnd, sub, "inert", size))
        elif cfg == "inert":
            base_cfg = "none"
            b = round_median(rnd, "none", size)
            if sub != 1:
                continue
            v = round_median(rnd, "inert", size)
        else:
            base_cfg, b = "none", pps.get((rnd, sub, "none", size))
        e = out.setdefault("%s/%d" % (cfg, size),
                           {"config": cfg, "size": size, "baseline": base_cfg,
                            "pps": [], "ratios": {}})
        e["pps"].append(v)
        if b:
            e["ratios"]["%d.%d" % (rnd, sub)] = v / b
    for e in out.values():
        rs = list(e["ratios"].values())
        e["samples"] = len(rs)
        e["ratio_median"] = median(rs)
        e["ratio_min"] = min(rs) if rs else None
        e["ratio_max"] = max(rs) if rs else None
        qs = statistics.quantiles(rs, n=4) if len(rs) >= 2 else [None, None, None]
        e["ratio_q1"], e["ratio_q3"] = qs[0], qs[2]
        e["pps_median"] = median(e["pps"])
        e["ratios"] = {k: round(v, 4) for k, v in e["ratios"].items()}
    return out


def per_round_diff(dp, a, b, size):
    """Median over samples of ratio(a) - ratio(b), same sample key."""
    ra = dp.get("%s/%d" % (a, size), {}).get("ratios", {})
    rb = dp.get("%s/%d" % (b, size), {}).get("ratios", {})
    d = [ra[k] - rb[k] for k in ra if k in rb]
    return median(d)


def iqr(e):
    if not e or e.get("ratio_q1") is None:
        return None
    return e["ratio_q3"] - e["ratio_q1"]


def verdict(met, spread, tolerance):
    """met/MISSED, or "noise" when the samples' interquartile range is
    wider than twice the difference the target is about."""
    if spread is None or spread > 2 * tolerance:
        return "noise"
    return "met" if met else "MISSED"


def targets(res):
    t = []
    dp = res["datapath"]
    p = res["params"]
    mid, big = p.get("MID"), p.get("BIG")
    for size in sorted({e["size"] for e in dp.values()}):
        e1 = dp.get("mod-1/%d" % size)
        if e1 and e1.get("ratio_median") is not None:
            m1 = e1["ratio_median"]
            t.append({"target": "1 binding vs inert, %d B: overhead <= 2 %%" % size,
                      "value": "%.1f %% (IQR %.1f %%)" % ((1 - m1) * 100,
                                                         (iqr(e1) or 0) * 100),
                      "verdict": verdict((1 - m1) <= 0.02, iqr(e1), 0.02)})
        eb = dp.get("mod-%s/%d" % (big, size))
        d = per_round_diff(dp, "mod-1", "mod-%s" % big, size)
        if d is not None:
            t.append({"target": "1 -> %s bindings, %d B: <= 1 %% more" % (big, size),
                      "value": "%.1f %% (IQR %.1f %%)" % (d * 100, (iqr(eb) or 0) * 100),
                      "verdict": verdict(d <= 0.01, iqr(eb), 0.01)})
        for k in str(p.get("NFT_SIZES", "")).split():
            if int(k) < 1000 and not p.get("smoke"):
                continue
            for kind in ("rules", "set"):
                em = dp.get("mod-%s/%d" % (mid, size))
                ef = dp.get("nft-%s-%s/%d" % (kind, k, size))
                if not em or not ef or em["ratio_median"] is None or \
                   ef["ratio_median"] is None:
                    continue
                d = em["ratio_median"] - ef["ratio_median"]
                # Resolved only if the quartile ranges do not overlap.
                sep = None
                if iqr(em) is not None and iqr(ef) is not None:
                    sep = 0 if (em["ratio_q1"] > ef["ratio_q3"] or
                                ef["ratio_q1"] > em["ratio_q3"]) else 1e9
                t.append({"target": "module (%s bindings) vs nft-%s-%s, %d B: cheaper"
                          % (mid, kind, k, size),
                          "value": "%+.1f %% of baseline" % (d * 100),
                          "verdict": verdict(d >= 0, sep, 0.01)})
    for c in res["control"]:
        if c.get("op") == "add":
            t.append({"target": "install >= 100,000 bindings/s (%d added)" % c["n"],
                      "value": "%.0f/s (%.3f s)" % (c["per_second"], c["seconds"]),
                      "verdict": "met" if c["per_second"] >= 100000 else "MISSED"})
        if c.get("op") == "agent" and c.get("bound"):
            t.append({"target": "agent event -> binding median <= 1 ms",
                      "value": "%d us" % c["median_us"],
                      "verdict": "met" if c["median_us"] <= 1000 else "MISSED"})
    size = res["micro"].get("sizeof")
    if size:
        t.append({"target": "memory per binding <= 128 B (struct)",
                  "value": "%d B" % size,
                  "verdict": "met" if size <= 128 else "MISSED"})
    for x in t:
        x["met"] = x["verdict"] == "met"
    return t


def micro(raw):
    rows = [r for r in raw if r.get("part") == "micro"]
    out = {"pmu": any(r.get("instructions_counted") for r in rows
                      if r.get("op") == "pmu"),
           "sizeof": next((r["bytes"] for r in rows if r.get("op") == "sizeof"),
                          None),
           "cases": []}
    empty = {r["extra_bindings"]: r for r in rows
             if r.get("op") == "case" and r["case"] == "empty"}
    for r in rows:
        if r.get("op") != "case":
            continue
        e = empty.get(r["extra_bindings"])
        r = dict(r)
        # The module's own ratio is per run (interleaved), then the median.
        if "ratio" in r:
            r["ratio_to_empty"] = r["ratio"]
        else:
            r["ratio_to_empty"] = (r["ns"] / e["ns"]) if e and e["ns"] else None
        out["cases"].append(r)
    return out


def table(res):
    p = res["params"]
    lines = ["l2tp_ipsec benchmark (%s, %s%s)" % (
        res["meta"].get("date", "?"), res["meta"].get("accel", "?"),
        ", smoke" if p.get("smoke") else "")]
    lines.append("")
    lines.append("Data path: pps ratio to the baseline measured next to it, median [q1..q3] over samples")
    lines.append("  (mod-*: to 'inert', module loaded; nft-*: to 'none'; inert: to 'none' per round)")
    dp = res["datapath"]
    sizes = sorted({e["size"] for e in dp.values()})
    hdr = "  %-18s" % "config" + "".join("  %-24s" % ("%d B" % s) for s in sizes)
    lines.append(hdr)
    order = []
    for e in dp.values():
        if e["config"] not in order:
            order.append(e["config"])

    def rank(c):
        pre = ["none", "inert", "mod-", "nft-rules-", "nft-set-"]
        for i, x in enumerate(pre):
            if c == x or (x.endswith("-") and c.startswith(x)):
                n = c[len(x):] if x.endswith("-") else "0"
                return (i, int(n) if n.isdigit() else 0)
        return (9, 0)
    for c in sorted(order, key=rank):
        cells = []
        for s in sizes:
            e = dp.get("%s/%d" % (c, s))
            if not e or e["ratio_median"] is None:
                cells.append("-")
            elif c == "none":
                cells.append("1 (%.0f pps)" % e["pps_median"])
            else:
                cells.append("%.3f [%s..%s]" % (
                    e["ratio_median"],
                    "%.3f" % e["ratio_q1"] if e["ratio_q1"] is not None else "-",
                    "%.3f" % e["ratio_q3"] if e["ratio_q3"] is not None else "-"))
        lines.append("  %-18s" % c + "".join("  %-24s" % x for x in cells))
    lines.append("")
    m = res["micro"]
    lines.append("Micro: the check per call, ns (ratio to an empty call); PMU %s"
                 % ("counted" if m["pmu"] else "not exposed"))
    for r in m["cases"]:
        lines.append("  %-10s %7d bindings  %9.2f ns  x%.2f" % (
            r["case"], r["bindings"], r["ns"], r["ratio_to_empty"] or 0))
    if m["sizeof"]:
        lines.append("  sizeof(struct l2tp_ipsec_binding) = %d B" % m["sizeof"])
    lines.append("")
    lines.append("Control plane")
    for c in res["control"]:
        op = c.get("op")
        if op in ("add", "dump", "flush"):
            lines.append("  %-6s %7d bindings  %.3f s  (%.0f/s)" % (
                op, c["n"], c["seconds"], c["per_second"]))
        elif op == "memory":
            lines.append("  memory: slab object %s B, slab size %s B%s; kernel "
                         "memory %.0f B per binding (table, ids, slack)" % (
                             c["object_size"], c["slab_size"],
                             " (merged cache)" if c["merged"] else "",
                             c["bytes_per_binding"]))
        elif op == "agent":
            lines.append("  agent: event -> binding median %s us, p99 %s us "
                         "(%d/%d tunnels bound)" % (c["median_us"], c["p99_us"],
                                                    c["bound"], c["tunnels"]))
    lines.append("")
    lines.append("Targets (information only; noise: the samples' spread is wider than the effect)")
    for t in res["targets"]:
        lines.append("  %-6s %-60s %s" % (t["verdict"], t["target"], t["value"]))
    return "\n".join(lines)


def check(res):
    errs = []
    dp = res.get("datapath", {})
    configs = {e["config"] for e in dp.values()}
    for want in ("none", "inert", "mod-1"):
        if want not in configs:
            errs.append("datapath: no %s" % want)
    for e in dp.values():
        if not e.get("samples") or not e.get("ratio_median"):
            errs.append("datapath: %s/%d has no ratio (nothing received?)"
                        % (e["config"], e["size"]))
    cases = {r["case"] for r in res.get("micro", {}).get("cases", [])}
    for want in ("empty", "exact", "wildcard", "miss", "cleartext"):
        if want not in cases:
            errs.append("micro: no case %s" % want)
    ops = {c.get("op") for c in res.get("control", [])}
    for want in ("add", "dump", "flush", "memory", "agent"):
        if want not in ops:
            errs.append("control: no %s" % want)
    for c in res.get("control", []):
        if c.get("op") == "agent" and c.get("bound") != c.get("tunnels"):
            errs.append("control: agent bound %s of %s tunnels"
                        % (c.get("bound"), c.get("tunnels")))
        if c.get("op") == "dump" and c.get("n") != res["params"].get("BIG"):
            errs.append("control: dump saw %s bindings" % c.get("n"))
    return errs


def main(argv):
    if len(argv) == 3 and argv[1] in ("--check", "--table"):
        with open(argv[2]) as f:
            res = json.load(f)
        if argv[1] == "--table":
            print(table(res))
            return 0
        errs = check(res)
        for e in errs:
            print("report.py: %s" % e, file=sys.stderr)
        return 1 if errs else 0
    raw, out, meta, params = [], None, {}, {}
    args = argv[1:]
    src = args.pop(0)
    while args:
        a = args.pop(0)
        if a == "--json":
            out = args.pop(0)
        elif a == "--meta":
            k, v = args.pop(0).split("=", 1)
            meta[k] = v
        elif a == "--param":
            k, v = args.pop(0).split("=", 1)
            params[k] = int(v) if v.isdigit() else v
    if src.endswith(".json"):
        # Re-aggregate an earlier results.json with the same meta/params.
        with open(src) as f:
            old = json.load(f)
        raw, meta, params = old["raw"], old["meta"], old["params"]
    else:
        with open(src) as f:
            raw = [json.loads(x) for x in f if x.strip().startswith("{")]
    params["smoke"] = meta.get("smoke") == "1"
    res = {"meta": meta, "params": params, "datapath": datapath(raw),
           "micro": micro(raw),
           "control": [r for r in raw if r.get("op") in
                       ("add", "dump", "flush", "memory", "agent")],
           "raw": raw}
    res["targets"] = targets(res)
    if out:
        with open(out, "w") as f:
            json.dump(res, f, indent=1)
            f.write("\n")
    print(table(res))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
