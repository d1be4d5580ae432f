#!/usr/bin/env python3
"""Helpers for bench/run: the state of an update run in a bare repository, and the result table.

  benchlib.py run-state --repo BARE --placement p0001
      prints '<run name> <Succeeded|Failed|Running>' for the newest run gitfleet created for
      the placement (status/clusterstagedupdateruns/<placement>-run-<n>.yaml on main), or
      '- none' when there is none yet
  benchlib.py table --samples FILE --size NAME [--info KEY=VALUE ...]
      prints the markdown result table of the samples bench/run recorded

Standard library only. The run's status file is read with a small indentation scanner that
understands the block YAML gitfleet writes (2-space indent, `- ` items in the key's column),
just far enough to find the run's own `status.conditions`, not the stages' or clusters' ones.
"""

import argparse
import re
import statistics
import subprocess
import sys

RUNS_DIR = "status/clusterstagedupdateruns"


def git(repo, *args):
    return subprocess.run(["git", "--git-dir", repo, *args], capture_output=True, text=True)


def unquote(value):
    value = value.strip()
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
        return value[1:-1]
    return value


def indent_of(line):
    return len(line) - len(line.lstrip(" "))


def top_level_conditions(text):
    """The list items of `status.conditions`, each as a dict of its scalar fields."""
    lines = [l for l in text.splitlines() if l.strip() and not l.lstrip().startswith("#")]
    start = next((i for i, l in enumerate(lines) if l.rstrip() == "status:"), None)
    if start is None:
        return []
    body = []
    for line in lines[start + 1:]:
        if indent_of(line) == 0 and not line.startswith("-"):
            break
        body.append(line)
    if not body:
        return []
    child = indent_of(body[0])
    at = next((i for i, l in enumerate(body)
               if indent_of(l) == child and l.strip().startswith("conditions:")), None)
    if at is None:
        return []
    rest = body[at].strip()[len("conditions:"):].strip()
    if rest:  # a flow sequence such as `[]`: nothing gitfleet writes for a finished run
        return []
    items, current, column = [], None, None
    for line in body[at + 1:]:
        ind, stripped = indent_of(line), line.strip()
        if column is None:
            if not stripped.startswith("-") or ind < child:
                break
            column = ind
        if ind < column or (ind == column and not stripped.startswith("-")):
            break
        if ind == column:
            current = {}
            items.append(current)
            stripped = stripped[1:].strip()
            if not stripped:
                continue
        elif ind != column + 2:
            continue  # deeper structure inside an item; conditions have none
        match = re.match(r"([A-Za-z0-9_.-]+):\s*(.*)$", stripped)
        if match and current is not None:
            current[match.group(1)] = unquote(match.group(2))
    return items


def run_state(args):
    listing = git(args.repo, "ls-tree", "--name-only", "refs/heads/main", RUNS_DIR + "/")
    pattern = re.compile(re.escape(args.placement) + r"-run-(\d+)\.yaml$")
    runs = []
    for path in listing.stdout.split():
        match = pattern.search(path.rsplit("/", 1)[-1])
        if match:
            runs.append((int(match.group(1)), path))
    if not runs:
        print("- none")
        return
    _, path = max(runs)
    name = path.rsplit("/", 1)[-1][: -len(".yaml")]
    shown = git(args.repo, "show", f"refs/heads/main:{path}")
    state = "Running"
    for condition in top_level_conditions(shown.stdout):
        if condition.get("type") == "Succeeded":
            state = {"True": "Succeeded", "False": "Failed"}.get(condition.get("status"), state)
    print(f"{name} {state}")


# ---------------------------------------------------------------------------------------------
# The table

ROWS = [
    # key, label, what the gitfleet value is, target ratio or absolute limit
    ("cold", "cold sync (whole history, fresh cache)", "wall"),
    ("incremental", "incremental (1 new commit, 1 resource)", "wall"),
    ("idle", "idle (nothing new)", "wall"),
    ("rollout", "full rollout of one run over all members (CPU)", "cpu"),
    ("settle", "first runs of all placements after cold sync (CPU, info)", "cpu"),
]

FLOOR_LABEL = {
    "cold": "fetch all + rev-list + diff-tree + cat-file",
    "incremental": "fetch 1 + rev-list + diff-tree + cat-file",
    "idle": "no-op fetch",
}

MB = 1024.0


def seconds(value):
    if value is None:
        return "—"
    return f"{value * 1000:.0f} ms" if value < 1 else f"{value:.2f} s"


def megabytes(kb):
    return "—" if kb is None else f"{kb / MB:.0f} MB"


def read_samples(path):
    samples = []
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            fields = line.rstrip("\n").split("\t")
            if len(fields) < 8:
                continue
            row, who, value, wall, cpu, rss, ok, note = fields[:8]
            samples.append(dict(row=row, who=who, value=float(value), wall=float(wall),
                                cpu=float(cpu), rss=int(rss), ok=ok == "1", note=note))
    return samples


def cell(text):
    return text.replace("|", "\\|")


def summary(samples):
    """(median, min, max, failures, first failure) of the successful samples' values."""
    good = [s["value"] for s in samples if s["ok"]]
    bad = [s for s in samples if not s["ok"]]
    first = bad[0]["note"] if bad else ""
    if not good:
        return None, None, None, len(bad), first
    return statistics.median(good), min(good), max(good), len(bad), first


def target_for(key, size):
    """(text, check) where check(gitfleet median, ratio) says whether it is met."""
    if key == "cold":
        return "≤ 5x floor", lambda v, r: r is not None and r <= 5
    if key == "incremental":
        return "≤ 3x floor", lambda v, r: r is not None and r <= 3
    if key == "idle":
        return "≤ 1.5x no-op fetch", lambda v, r: r is not None and r <= 1.5
    if key == "rollout":
        text = "< 10 s CPU" + ("" if size == "large" else " (set for large)")
        return text, lambda v, r: v is not None and v < 10
    return "—", None


def table(args):
    samples = read_samples(args.samples)
    info = dict(item.split("=", 1) for item in args.info)
    out = []
    out.append(f"# gitfleet benchmark: {args.size}")
    out.append("")
    for key in ("fleet", "date", "gitfleet commit", "machine", "memory", "runs", "git",
                "generated in"):
        if key in info:
            out.append(f"- {key}: {info[key]}")
    if "free -g" in info:
        out.append("")
        out.append("```")
        out.append("$ free -g")
        out.extend(info["free -g"].split("\\n"))
        out.append("```")
    out.append("")
    out.append("| row | gitfleet median | min | max | peak RSS | floor median | ratio gitfleet/floor"
               " | target | met? | notes |")
    out.append("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    peak_rss = None
    any_gitfleet = False
    for key, label, _ in ROWS:
        mine = [s for s in samples if s["row"] == key and s["who"] == "gitfleet"]
        floor = [s for s in samples if s["row"] == key and s["who"] == "floor"]
        if not mine and not floor:
            continue
        med, lo, hi, failed, why = summary(mine)
        rss = max((s["rss"] for s in mine if s["ok"]), default=None)
        if rss is not None:
            peak_rss = rss if peak_rss is None else max(peak_rss, rss)
            any_gitfleet = True
        fmed, _, _, ffailed, fwhy = summary(floor)
        ratio = med / fmed if med is not None and fmed else None
        target, check = target_for(key, args.size)
        if check is None:
            met = "—"
        elif med is None:
            met = "n/a"
        else:
            met = "yes" if check(med, ratio) else "**no**"
        notes = []
        if key in FLOOR_LABEL and floor:
            notes.append(f"floor: {FLOOR_LABEL[key]}")
        if key in ("rollout", "settle"):
            ticks = [int(s["note"].split()[0]) for s in mine
                     if s["ok"] and s["note"].split() and s["note"].split()[0].isdigit()]
            walls = [s["wall"] for s in mine if s["ok"]]
            slowest = [float(m.group(1)) for s in mine if s["ok"]
                       for m in [re.search(r"slowest ([0-9.]+)", s["note"])] if m]
            if ticks:
                notes.append(f"ticks: median {statistics.median(ticks):g}"
                             f" ({min(ticks)}–{max(ticks)})")
            if walls:
                notes.append(f"wall median {seconds(statistics.median(walls))}")
            if slowest:
                notes.append(f"slowest tick {seconds(max(slowest))} CPU")
        elif key == "idle":
            committed = sum(1 for s in mine if s["ok"] and "committed" in s["note"])
            if committed:
                notes.append(f"{committed} idle tick(s) committed something")
        if mine and failed:
            notes.append(f"{failed} of {len(mine)} gitfleet runs failed")
        if floor and ffailed:
            notes.append(f"{ffailed} of {len(floor)} floor runs failed: {fwhy}")
        if med is None:
            first = "failed: " + why if why else "not run"
            mine_cells = [first, "—", "—", "—"]
            # How far the first real failure got tells a fleet too big from a broken build.
            tried = [s for s in mine if not s["ok"] and s["wall"] > 0]
            if tried:
                notes.append(f"the first failed after {seconds(tried[0]['wall'])}"
                             f" at {megabytes(tried[0]['rss'])} resident")
        else:
            mine_cells = [seconds(med), seconds(lo), seconds(hi), megabytes(rss)]
            if failed:
                notes.append(f"first failure: {why}")
        floor_cell = seconds(fmed) if fmed is not None else ("failed: " + fwhy if floor
                                                             else "—")
        ratio_cell = f"{ratio:.2f}x" if ratio is not None else "—"
        out.append("| " + " | ".join(cell(c) for c in [
            label, *mine_cells, floor_cell, ratio_cell, target, met, "; ".join(notes)]) + " |")
    mem_target = "< 500 MB" + ("" if args.size == "large" else " (set for large)")
    if any_gitfleet:
        mem_met = "yes" if peak_rss < 500 * MB else "**no**"
        out.append(f"| peak memory (all gitfleet runs) | — | — | — | {megabytes(peak_rss)} | — | — "
                   f"| {mem_target} | {mem_met} | maximum resident set size |")
    else:
        out.append(f"| peak memory (all gitfleet runs) | failed: no gitfleet run succeeded "
                   f"| — | — | — | — | — | {mem_target} | n/a | |")
    out.append("")
    out.append("Wall times are medians over the runs; the rollout rows sum user+sys CPU over "
               "their ticks. See bench/README.md for what each row measures.")
    print("\n".join(out))


def main():
    parser = argparse.ArgumentParser(prog="benchlib.py")
    sub = parser.add_subparsers(dest="command", required=True)
    state = sub.add_parser("run-state")
    state.add_argument("--repo", required=True)
    state.add_argument("--placement", required=True)
    state.set_defaults(run=run_state)
    tab = sub.add_parser("table")
    tab.add_argument("--samples", required=True)
    tab.add_argument("--size", required=True)
    tab.add_argument("--info", action="append", default=[])
    tab.set_defaults(run=table)
    args = parser.parse_args()
    args.run(args)


if __name__ == "__main__":
    sys.exit(main())
