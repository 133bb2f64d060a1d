#!/usr/bin/env python3
"""Read the output of the spdm BPF tools, of the bpftrace scripts and of ftrace
(the ground truth) in the VM tests, and print what a test compares.

  check.py trace FILE EVENT [FIELD=VALUE...]   count ftrace records of EVENT
  check.py trace-sum FILE EVENT FIELD [FIELD=VALUE...]  sum of a field
  check.py trace-max FILE EVENT FIELD          "dev value" of the record with the
                                               largest FIELD
  check.py trace-exchanges FILE                exchanges as ftrace saw them
  check.py snoop FILE [FIELD=VALUE...]         count spdmsnoop --json lines
  check.py snoop-exchanges FILE                exchanges as spdmsnoop saw them
  check.py snoop-implausible FILE BDF...       spdmsnoop lines that make no sense
  check.py hist-sum FILE HEADER                sum of one histogram's counts
  check.py stat FILE BDF RESULT VERSION ASYM HASH   spdmstat's count of that row
  check.py bt-map FILE MAP KEY                 value of @MAP[KEY] printed by bpftrace
  check.py bt-lines FILE PATTERN               lines matching a regular expression
  check.py overhead K NONE1 SNOOP NONE2 BT NONE3  cost per exchange each way, from
                                               files of authentication times (us);
                                               K exchanges per authentication

Exchanges print as sorted lines "dev req rsp req_len rsp_len duration_ns result",
so two sources compare as text.
"""
import json
import re
import sys


def trace_records(path, event):
    for line in open(path, errors="replace"):
        m = re.search(r"\b%s: (.*)$" % re.escape(event), line)
        if m:
            yield dict(kv.split("=", 1) for kv in m.group(1).split() if "=" in kv)


def matches(rec, conds):
    return all(str(rec.get(k)) == v for k, v in (c.split("=", 1) for c in conds))


def snoop_records(path):
    for line in open(path, errors="replace"):
        if line.startswith("{"):
            yield json.loads(line)


def exchange_line(dev, req, rsp, req_len, rsp_len, dur, result):
    return f"{dev} {int(req):#04x} {int(rsp):#04x} {req_len} {rsp_len} {dur} {result}"


def cmd_trace(path, event, *conds):
    print(sum(1 for r in trace_records(path, event) if matches(r, conds)))


def cmd_trace_sum(path, event, field, *conds):
    print(sum(int(r[field], 0) for r in trace_records(path, event) if matches(r, conds)))


def cmd_trace_max(path, event, field):
    best = max(trace_records(path, event), key=lambda r: int(r[field], 0))
    print(best["dev"], best[field])


def cmd_trace_exchanges(path):
    lines = [exchange_line(r["dev"], int(r["req"], 16), int(r["rsp"], 16), r["req_len"],
                           r["rsp_len"], r["duration_ns"], r["result"])
             for r in trace_records(path, "spdm_exchange")]
    print("\n".join(sorted(lines)))


def cmd_snoop(path, *conds):
    print(sum(1 for r in snoop_records(path) if matches(r, conds)))


def cmd_snoop_exchanges(path):
    lines = [exchange_line(r["device"], r["req_code"], r["rsp_code"], r["req_len"],
                           r["rsp_len"], r["latency_ns"], r["result"])
             for r in snoop_records(path)]
    print("\n".join(sorted(lines)))


def cmd_snoop_implausible(path, *bdfs):
    last = 0.0
    for r in snoop_records(path):
        why = []
        if r["device"] not in bdfs:
            why.append("unknown device")
        if r["request"].startswith("0x") or r["req_code"] < 0x80:
            why.append("not a request code")
        if r["rsp_code"] and (r["response"].startswith("0x") or r["rsp_code"] >= 0x80):
            why.append("not a response code")
        if r["req_len"] < 4 or (r["rsp_code"] and r["rsp_len"] < 4):
            why.append("shorter than an SPDM header")
        if not 0 < r["latency_ns"] < 60e9:
            why.append("latency out of range")
        if r["time"] < last:
            why.append("time went backwards")
        if (r["result"] == 0) != (r["error"] == ""):
            why.append("error name disagrees with result")
        last = r["time"]
        if why:
            print(", ".join(why) + ": " + json.dumps(r))


def cmd_hist_sum(path, header):
    """Sum the counts of the histogram under the line HEADER (spdmlat or bpftrace)."""
    total, inside = 0, False
    for line in open(path, errors="replace"):
        line = line.rstrip("\n")
        if line.strip() == header:
            inside = True
            continue
        if not inside:
            continue
        m = (re.match(r"\s*\d+ -> \d+\s*: (\d+)\s", line) or
             re.match(r"\[[^\]]*[\]\)]\s+(\d+)\s*\|", line))
        if m:
            total += int(m.group(1))
        elif "distribution" in line:
            continue
        else:
            break
    print(total)


def cmd_stat(path, bdf, result, version, asym, hash_):
    for line in open(path, errors="replace"):
        f = line.split()
        # DEVICE RESULT [ERRNAME] VERSION ASYM HASH COUNT
        if f and f[0] == bdf and f[1] == result and f[-4:-1] == [version, asym, hash_]:
            print(f[-1])
            return
    print(0)


def cmd_bt_map(path, name, key):
    for line in open(path, errors="replace"):
        m = re.match(r"@%s\[(.*)\]: (\S+)\s*$" % re.escape(name), line)
        if m and m.group(1) == key:
            print(m.group(2))
            return
    print("absent")


def cmd_bt_lines(path, pattern):
    print(sum(1 for line in open(path, errors="replace") if re.search(pattern, line)))


def cmd_overhead(k, none1, snoop, none2, bt, none3):
    """Each traced phase against the baselines either side of it.

    The guest shares the host with other work, which only ever adds time:
    the fastest authentication of a phase is the least disturbed one, so the
    minimum leads; the median shows how noisy the run was.
    """
    import statistics
    k = int(k)
    t = {n: [int(x) for x in open(f)] for n, f in
         (("none1", none1), ("snoop", snoop), ("none2", none2), ("bt", bt), ("none3", none3))}
    print(f"{len(t['snoop'])} authentications per phase, {k} exchanges each; "
          "kernel wall time per exchange, min (median):")
    for stat in (min, statistics.median):
        v = {n: stat(x) / k for n, x in t.items()}
        print("  %-6s no tool %.0f / %.0f / %.0f us; spdmsnoop %.0f us = %.3fx; "
              "bpftrace one-liner %.0f us = %.3fx"
              % ("min" if stat is min else "median", v["none1"], v["none2"], v["none3"],
                 v["snoop"], v["snoop"] / ((v["none1"] + v["none2"]) / 2),
                 v["bt"], v["bt"] / ((v["none2"] + v["none3"]) / 2)))


if __name__ == "__main__":
    cmds = {"trace": cmd_trace, "trace-sum": cmd_trace_sum, "trace-max": cmd_trace_max,
            "trace-exchanges": cmd_trace_exchanges,
            "snoop": cmd_snoop, "snoop-exchanges": cmd_snoop_exchanges,
            "snoop-implausible": cmd_snoop_implausible, "hist-sum": cmd_hist_sum,
            "stat": cmd_stat, "bt-map": cmd_bt_map, "bt-lines": cmd_bt_lines,
            "overhead": cmd_overhead}
    if len(sys.argv) < 3 or sys.argv[1] not in cmds:
        sys.exit(__doc__)
    cmds[sys.argv[1]](*sys.argv[2:])
