#!/usr/bin/env python3
"""Explain the agent's last decision for one device, from its audit file.

usage: explain.py AUDIT.jsonl DEVICE [audit]

Prints three lines: what the kernel authenticated, what the agent verified
itself, and the verdict with the rule that decided it; or, with "audit", an
excerpt of the audit record (its own keys and values, in its order). Exits 1
when the audit file has no decision for DEVICE.
"""
import errno
import json
import os
import re
import sys

# What the kernel's SPDM requester means by the errors it reports most.
WHY = {
    "EKEYREJECTED": "the device's signature did not verify",
    "ETIMEDOUT": "the device did not answer in time",
    "EPROTO": "the device broke the SPDM protocol",
    "ENOKEY": "the device offers no certificate",
}


def kernel_line(d):
    if d["state"] == "authenticated":
        return (f"authenticated over SPDM {d['version']} "
                f"({d['asym']}, {d['hash']}, certificate slot {d['slot']})")
    if d["state"] == "failed":
        err = -d.get("kernel_result", 0)
        name = errno.errorcode.get(err, str(err))
        return f"authentication FAILED: {WHY.get(name, os.strerror(err))} ({name})"
    return d["state"]


def step(text):
    """A validation step: ok, or its error quoted, without the errno text."""
    return text if text == "ok" else '"' + re.sub(r" \([^()]*\)$", "", text) + '"'


def agent_line(d):
    v = d["validation"]
    chain = step(v["chain"])
    if v.get("anchor"):
        chain += f" (anchor \"{v['anchor']}\")"
    return (f"{'verified' if v['verified'] else 'NOT verified'}: chain {chain}, "
            f"leaf {step(v['leaf'])}, signature {step(v['signature'])}, "
            f"CMA identity {v['cma_identity']}")


def rule_line(d):
    rule = d["rule"]
    if rule == "default":
        why = "no rule matched: the policy's default"
    else:
        why = f"rule \"{rule['label']}\" ({os.path.basename(rule['file'])}:{rule['line']})"
    return f"{d['verdict'].upper()} by {why}"


def excerpt(d):
    v = d["validation"]
    keep = {k: d[k] for k in ("device", "generation", "state") if k in d}
    keep["validation"] = {k: v[k] for k in ("verified", "anchor") if k in v}
    keep["verdict"] = d["verdict"]
    keep["rule"] = d["rule"] if d["rule"] == "default" else {"label": d["rule"]["label"]}
    return json.dumps(keep, ensure_ascii=False, separators=(",", ":"))


def main():
    if len(sys.argv) not in (3, 4):
        sys.exit(__doc__.strip().splitlines()[2])
    decisions = []
    with open(sys.argv[1]) as f:
        for line in f:
            d = json.loads(line)
            if d.get("event") == "decision" and d.get("device") == sys.argv[2]:
                decisions.append(d)
    if not decisions:
        print(f"  no decision for {sys.argv[2]} in {sys.argv[1]}")
        sys.exit(1)
    d = decisions[-1]
    if sys.argv[3:] == ["audit"]:
        print(f"  audit:      {excerpt(d)}")
        return
    print(f"  kernel:     {kernel_line(d)}")
    print(f"  agent:      {agent_line(d)}")
    print(f"  decision:   {rule_line(d)}")


if __name__ == "__main__":
    main()
