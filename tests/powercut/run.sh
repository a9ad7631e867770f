#!/usr/bin/env bash
# Power cuts on demand (issue 12, "Power cuts"; SPEC §4: a save is durable
# when the screen says so). LazyFS (a FUSE file system with its own page
# cache; Jepsen uses it) keeps every write until it is fsynced, and on
# `lazyfs::clear-cache` drops everything not synced, as a power cut drops a
# disk's cache. Each cut:
#   - mount LazyFS over target/powercut/root;
#   - run the driver (examples/powercut.rs: the store as the desk drives it,
#     command ids, drafts, long texts in blob files) saving intakes, notes
#     and queue numbers, each line it prints a save that returned (the
#     screen would say "saved");
#   - at a random moment: freeze it (SIGSTOP), cut the power, kill -9, unmount;
#   - on what survived: `jiedai check` passes (no damage reported, none
#     false), every save ever reported is there exactly once, and the next
#     cut opens the database as the desk does.
# Usage: tests/powercut/run.sh [CUTS]   (default 30; needs root and /dev/fuse)
# LazyFS is built from LAZYFS_SRC (default third_party/lazyfs, its sources kept in the repo) into
# target/lazyfs. Fails, never skips, when it cannot run.
set -euo pipefail
cd "$(dirname "$0")/../.."
cuts=${1:-30}
src=${LAZYFS_SRC:-$PWD/third_party/lazyfs}
lazy=$PWD/target/lazyfs
fail() { echo "powercut: $*" >&2; exit 1; }

[ -c /dev/fuse ] || fail "/dev/fuse is missing: FUSE is needed"
if [ ! -x "$lazy/lazyfs" ]; then
    [ -x "$src/build.sh" ] || fail "no LazyFS sources at $src (set LAZYFS_SRC)"
    "$src/build.sh" "$lazy" >/dev/null || fail "LazyFS did not build"
fi
cargo build -q --bin jiedai --example powercut
J=$PWD/target/debug/jiedai
D=$PWD/target/debug/examples/powercut

W=$PWD/target/powercut
lpid=""
dpid=""
cleanup() {
    [ -n "$dpid" ] && kill -9 "$dpid" 2>/dev/null || true
    fusermount3 -uz "$W/mnt" 2>/dev/null || true
    [ -n "$lpid" ] && kill "$lpid" 2>/dev/null || true
}
trap cleanup EXIT
fusermount3 -uz "$W/mnt" 2>/dev/null || true
rm -rf "$W"
mkdir -p "$W/root" "$W/mnt" "$W/logs"
cat > "$W/cfg.toml" <<T
[faults]
fifo_path="$W/faults.fifo"
fifo_path_completed="$W/done.fifo"
[cache]
apply_eviction=false
[cache.simple]
custom_size="256mb"
blocks_per_page=1
[filesystem]
log_all_operations=false
logfile=""
T

mount_lazy() {
    LD_LIBRARY_PATH=$lazy "$lazy/lazyfs" "$W/mnt" --config-path "$W/cfg.toml" \
        -o allow_other -o modules=subdir -o "subdir=$W/root" >"$W/lazyfs.log" 2>&1 &
    lpid=$!
    for _ in $(seq 300); do
        if mountpoint -q "$W/mnt" && grep -q "running LazyFS" "$W/lazyfs.log"; then
            # LazyFS opens its answer fifo for writing and blocks until a
            # reader has it: hold one open (read and write: never blocks)
            # for as long as it runs.
            exec 3<>"$W/done.fifo"
            return 0
        fi
        sleep 0.1
    done
    fail "LazyFS did not mount: $(cat "$W/lazyfs.log")"
}
unmount_lazy() {
    fusermount3 -u "$W/mnt" || fusermount3 -uz "$W/mnt"
    wait "$lpid" 2>/dev/null || true
    lpid=""
    exec 3<&-
}
cut() {
    echo lazyfs::clear-cache > "$W/faults.fifo"
    read -r -t 20 -u 3 _ || fail "LazyFS did not answer clear-cache"
}

# The control: the cut is real. Unsynced writes vanish, synced ones stay.
mount_lazy
printf 'lost' > "$W/mnt/unsynced"
python3 -c "import os; f=os.open('$W/mnt/synced', os.O_WRONLY|os.O_CREAT); os.write(f, b'kept'); os.fsync(f)"
cut
unmount_lazy
[ "$(cat "$W/root/unsynced")" = "" ] || fail "control: an unsynced write survived the cut"
[ "$(cat "$W/root/synced")" = "kept" ] || fail "control: a synced write was lost"
rm -f "$W/root/unsynced" "$W/root/synced"

# A database made and closed cleanly, then a cut: a clean close is durable.
mount_lazy
"$D" init "$W/mnt/db" || fail "init"
cut
unmount_lazy
"$J" --lang en --db "$W/root/db" check >"$W/logs/check.0" 2>&1 || fail "after a clean close and a cut: $(cat "$W/logs/check.0")"

reported=0
for i in $(seq "$cuts"); do
    mount_lazy
    "$D" run "$W/mnt/db" "$i" >"$W/logs/saved.$i" 2>"$W/logs/driver.$i" &
    dpid=$!
    # Four cuts in five once the database is open (opening after a cut
    # recovers and reads a copy first, longer as the database grows), the
    # fifth at any moment; then 50 ms to 2 s: saves, blob files, opening.
    if [ $((RANDOM % 5)) -ne 0 ]; then
        for _ in $(seq 600); do
            grep -qs opened "$W/logs/driver.$i" && break
            kill -0 "$dpid" 2>/dev/null || break
            sleep 0.1
        done
    fi
    sleep "$(awk -v r=$RANDOM 'BEGIN { printf "%.3f", 0.05 + (r % 1950) / 1000 }')"
    if ! kill -0 "$dpid" 2>/dev/null; then
        wait "$dpid" || true
        fail "cut $i: the driver stopped by itself: $(cat "$W/logs/driver.$i")"
    fi
    kill -STOP "$dpid"
    cut
    kill -9 "$dpid"
    wait "$dpid" 2>/dev/null || true
    dpid=""
    unmount_lazy
    n=$(grep -c . "$W/logs/saved.$i" || true)
    reported=$((reported + n))
    if ! "$J" --lang en --db "$W/root/db" check >"$W/logs/check.$i" 2>&1; then
        fail "cut $i (after $n saves): check failed: $(cat "$W/logs/check.$i")"
    fi
    if ! "$D" verify "$W/root/db" "$W"/logs/saved.* >"$W/logs/verify.$i" 2>&1; then
        fail "cut $i: $(cat "$W/logs/verify.$i")"
    fi
    echo "cut $i: $n saves reported before the cut; $(cat "$W/logs/verify.$i")"
done
echo "powercut: $cuts cuts, $reported saves reported, every one found once; check passed after every cut"
