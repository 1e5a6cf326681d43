#!/usr/bin/env python3
"""One Markdown table row: Observatory's and kiemdinh's score, grade and per-test agreement.
Usage: compare.py CONFIG OBSERVATORY.json EVALUATION.json [TLS-COLUMN]"""
import json
import sys

name, obs_path, eval_path = sys.argv[1:4]
tls = sys.argv[4] if len(sys.argv) > 4 else "—"
obs = json.load(open(obs_path))
ev = json.load(open(eval_path))
k = (ev.get("security") or {}).get("observatory")
if "error" in obs or not k:
    why = obs.get("error") or "kiemdinh computed no score"
    print(f"| {name} | — | — | — | {why} | {tls} |")
    sys.exit(0)
kt = {t["name"]: t for t in k["tests"]}
agree, diffs = 0, []
for test, o in obs["tests"].items():
    t = kt.get(test)
    if t and t["result"] == o["result"] and t["pass"] == o["pass"]:
        agree += 1
    else:
        mine = f'{t["result"]}' if t else "absent"
        diffs.append(f"{test}: Observatory `{o['result']}`, kiemdinh `{mine}`")
same = "yes" if (obs["score"], obs["grade"]) == (k["score"], k["grade"]) else "**no**"
d = "; ".join(diffs) if diffs else "none"
print(
    f"| {name} | {obs['score']} {obs['grade']} | {k['score']} {k['grade']} | {same} | "
    f"{agree}/{len(obs['tests'])} ({d}) | {tls} |"
)
