"""Side-by-side medians of Lighthouse (lh-PROFILE-PAGE-I.json) and kiemdinh's examples/lab
(lab-PROFILE-PAGE-I.json) in a run directory, with the acceptance bounds.

    python3 compare.py DIR PROFILE... -- PAGE...

Prints a Markdown table; exits 1 when a bounded metric is out of bounds or missing."""
import glob
import json
import os
import statistics
import sys

# (label, Lighthouse audit or metrics item, lab MetricRun field, bound as a fraction or None)
METRICS = [
    ("FCP", "first-contentful-paint", "fcp_ms", 0.15),
    ("LCP", "largest-contentful-paint", "lcp_ms", 0.15),
    ("SI", "speed-index", "speed_index_ms", 0.20),
    ("TTFB", "timeToFirstByte", "ttfb_ms", None),
]


def lighthouse_value(report, key):
    if key in report.get("audits", {}):
        return report["audits"][key].get("numericValue")
    items = report.get("audits", {}).get("metrics", {}).get("details", {}).get("items", [])
    return items[0].get(key) if items else None


def values(directory, prefix, reader):
    out = []
    for path in sorted(glob.glob(os.path.join(directory, prefix + "-*.json"))):
        try:
            with open(path, encoding="utf-8") as f:
                data = json.load(f)
        except (OSError, ValueError):
            continue
        out.append(reader(data))
    return out


def median(xs):
    xs = [x for x in xs if isinstance(x, (int, float))]
    return statistics.median(xs) if xs else None


def main(argv):
    if "--" not in argv or len(argv) < 4:
        print(__doc__, file=sys.stderr)
        return 2
    sep = argv.index("--")
    directory, profiles, pages = argv[1], argv[2:sep], argv[sep + 1:]
    with open(os.path.join(directory, "machine.txt"), encoding="utf-8") as f:
        print("".join("    " + line for line in f))
    print("| profile | page | metric | Lighthouse | kiemdinh | difference | bound |")
    print("|---|---|---|---:|---:|---:|---|")
    ok = True
    for profile in profiles:
        for page in pages:
            lh = values(directory, f"lh-{profile}-{page}", lambda r: r)
            lab = values(directory, f"lab-{profile}-{page}",
                         lambda pages_: [run for p in pages_ for run in p["raw"]])
            lab = [run for runs in lab for run in runs]
            for label, lh_key, lab_key, bound in METRICS:
                a = median([lighthouse_value(r, lh_key) for r in lh])
                b = median([run.get(lab_key) for run in lab])
                if a is None or b is None:
                    diff, verdict = "—", "missing" if bound else "—"
                    ok = ok and bound is None
                else:
                    rel = (b - a) / a if a else float("inf")
                    diff = f"{rel:+.1%}"
                    if bound is None:
                        verdict = "not bounded"
                    elif abs(rel) <= bound:
                        verdict = f"ok (±{bound:.0%})"
                    else:
                        verdict = f"**out** (±{bound:.0%})"
                        ok = False
                fmt = lambda v: "—" if v is None else f"{v:.0f} ms"
                n = f" (n={len(lh)}/{len(lab)})" if label == "FCP" else ""
                print(f"| {profile} | {page}{n} | {label} | {fmt(a)} | {fmt(b)} | {diff} | {verdict} |")
    print()
    print("all bounds hold" if ok else "some bound does not hold")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
