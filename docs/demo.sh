#!/usr/bin/env bash
# Walks through the KubeFleet staged-update tutorial with git as the hub, on a scratch copy of
# example-repo: a bare "remote" that gitfleet syncs, and a working clone where a person commits.
# Usage: docs/demo.sh [path/to/gitfleet]   (make demo builds it and passes it in)
set -euo pipefail

here="$(cd "$(dirname "$0")/.." && pwd)"
gitfleet="${1:-$here/.build/release/gitfleet}"
[ -x "$gitfleet" ] || { echo "demo: gitfleet binary not found at '$gitfleet'" >&2; exit 1; }
gitfleet="$(cd "$(dirname "$gitfleet")" && pwd)/$(basename "$gitfleet")"

scratch="$(mktemp -d "${TMPDIR:-/tmp}/gitfleet-demo.XXXXXX")"
trap 'rm -rf "$scratch"' EXIT
remote="$scratch/remote.git"
work="$scratch/work"
cache="$scratch/cache"

# The person's git must not depend on whoever runs the demo.
export HOME="$scratch/home" GIT_CONFIG_NOSYSTEM=1
mkdir -p "$HOME"
git config --global user.name "Demo User"
git config --global user.email "demo@example.com"
git config --global init.defaultBranch main
git config --global advice.detachedHead false

bold=""; plain=""
if [ -t 1 ]; then bold=$(tput bold 2>/dev/null || true); plain=$(tput sgr0 2>/dev/null || true); fi
step() { printf '\n%s== %s%s\n' "$bold" "$*" "$plain"; }
show() { printf '%s$' "$bold"; printf ' %q' "$@"; printf '%s\n' "$plain"; "$@"; }
sync() { "$gitfleet" sync --repo "$remote" --cache "$cache" --once "$@"; git -C "$work" pull -q --ff-only; }
get() { (cd "$work" && show "$gitfleet" get "$@"); }
commit() { git -C "$work" add -A && git -C "$work" commit -qm "$1" && git -C "$work" push -q origin main; }
values() {
  for m in member1 member2 member3; do
    f="$work/deploy/$m/test-namespace/configmap_test-cm.yaml"
    if [ -f "$f" ]; then v=$(grep -E '^\s+key:' "$f" | awk '{print $2}'); else v="(nothing)"; fi
    printf '  %-8s test-cm key=%s\n' "$m" "$v"
  done
}
new_run() { # new_run <name> <state> [snapshot index]
  cat > "$work/runs/$1.yaml" <<YAML
apiVersion: placement.kubernetes-fleet.io/v1beta1
kind: ClusterStagedUpdateRun
metadata:
  name: $1
spec:
  placementName: example-placement
  stagedRolloutStrategyName: example-strategy
  state: $2
YAML
  if [ -n "${3:-}" ]; then echo "  resourceSnapshotIndex: \"$3\"" >> "$work/runs/$1.yaml"; fi
}

step "A bare remote holds the fleet; the person works in a clone"
git init -q --bare "$remote"
git clone -q "$remote" "$work" 2>/dev/null
cp -R "$here/example-repo/." "$work/"
# The tutorial waits a minute after the staging stage; the demo waits five seconds.
sed -i 's/waitTime: 1m/waitTime: 5s/' "$work/strategies/example-strategy.yaml"
mkdir -p "$work/runs"
commit "Add the tutorial fleet"
sync
get cluster
get crp
get csus

step "Roll out the initial content: a run without an index snapshots the current commit"
new_run example-run Run
commit "Start example-run"
sync
get crs
get csur
values
step "member2's update is confirmed by its push; the staging stage then waits five seconds"
sync
get csur
sleep 5
sync
step "The canary stage waits for approval before it starts"
get careq
show "$gitfleet" approve example-run-before-canary --repo "$work" --message "canary looks fine"
git -C "$work" push -q origin main
sync
values
sync
values
sync
get csur
get crb

step "Change the ConfigMap: value1 becomes value2"
sed -i 's/key: value1/key: value2/' "$work/workloads/test-cm.yaml"
commit "Set test-cm key to value2"
sync
step "A new run in Initialize takes snapshot 1 and lists its stages without touching members"
new_run example-run-2 Initialize
commit "Prepare example-run-2"
sync
get crs
get csur example-run-2
printf "%s\$ gitfleet get csur example-run-2 -o yaml | grep -E '%s'%s\n" "$bold" \
    'resourceSnapshotIndexUsed|Initialized' "$plain"
(cd "$work" && "$gitfleet" get csur example-run-2 -o yaml | grep -E 'resourceSnapshotIndexUsed|Initialized')
values
step "Start it: staging (member2) first"
sed -i 's/state: Initialize/state: Run/' "$work/runs/example-run-2.yaml"
commit "Run example-run-2"
sync
values
sync
get csur example-run-2
sleep 5
sync
get careq
step "Approve by commit: add an Approved condition to the request file and push"
req="status/clusterapprovalrequests/example-run-2-before-canary.yaml"
show cat "$work/$req"
grep -q '^status:' "$work/$req" || printf 'status:\n' >> "$work/$req"
grep -q '^  conditions:' "$work/$req" || printf '  conditions:\n' >> "$work/$req"
cat >> "$work/$req" <<'YAML'
  - type: Approved
    status: "True"
    reason: ApprovedByDemo
    message: approved by committing to the request file
    observedGeneration: 1
    lastTransitionTime: "2026-01-01T00:00:00Z"
YAML
git -C "$work" diff --stat
commit "Approve example-run-2-before-canary"
sync
values
step "Stop the run while member3 is updating: it finishes, member1 is not started"
sed -i 's/state: Run/state: Stop/' "$work/runs/example-run-2.yaml"
commit "Stop example-run-2"
sync
get csur example-run-2
values
step "Resume: member1 gets value2"
sed -i 's/state: Stop/state: Run/' "$work/runs/example-run-2.yaml"
commit "Resume example-run-2"
sync
values
sync
get csur

step "Roll back: a run with resourceSnapshotIndex 0 brings value1 back"
new_run example-run-3 Run 0
commit "Roll back to snapshot 0"
sync
values
sync
sleep 5
sync
show "$gitfleet" approve example-run-3-before-canary --repo "$work"
git -C "$work" push -q origin main
sync
sync
sync
get csur -o wide
values
step "Done: the remote's history holds every step"
git -C "$work" log --oneline -30
