#!/bin/bash
{{header}}
#
# WSO2 API-M deployment synchronisation: pushes this Gateway Manager's
# {{pairsText}} to every Gateway Worker listed in
# {{workersFile}} (one user@host:/product/home per line), over ssh.
# Run by {{cronFile}} as {{cronUser}}; by hand: runuser -u {{cronUser}} -- {{script}}
# A worker is pushed to only after its first sync was previewed and confirmed with
# `apim-gateway-wizard sync` (listed in {{confirmedFile}}).
# Exit status: 0 every confirmed worker is in sync (or another run holds the lock),
# 1 a worker failed or was refused, 2 this manager cannot sync at all.
set -euo pipefail
umask 027

readonly MANAGER_HOME={{quoted.home}}
readonly WORKERS={{quoted.workersFile}}
readonly CONFIRMED={{quoted.confirmedFile}}
readonly LOG={{quoted.log}}
readonly LOCK={{quoted.lock}}
readonly KNOWN_HOSTS={{quoted.knownHosts}}
readonly KEY={{quoted.key}}
readonly SSH_PORT={{sshPort}}
# Each pair is the same directory on both sides, with the trailing slash that copies its
# contents (without it rsync nests server/server on the worker).
readonly PAIRS=({{quoted.pairs}})
readonly RSYNC_OPTIONS=({{quoted.rsyncOptions}})
readonly SSH_COMMAND={{quoted.sshCommand}}
# user@host:/absolute/path, with only the characters the wizard allows in it.
readonly DEST_PATTERN={{quoted.destPattern}}
readonly MAX_LOG_BYTES=10485760

# Every line of this job goes to the log with a timestamp, and to the terminal when run by hand.
say() {
  local line
  while IFS= read -r line || [[ -n $line ]]; do
    printf '%(%Y-%m-%d %H:%M:%S)T %s\n' -1 "$line" >>"$LOG"
    if [[ -t 1 ]]; then printf '%s\n' "$line"; fi
  done <<<"$*"
}

# The last line of defence before rsync --delete: absolute, normal form, ending in the pair.
guard() {
  local dest=$1 pair=$2 path
  if [[ ! $dest =~ $DEST_PATTERN ]]; then
    echo 'not user@host:/absolute/path (letters, digits and . _ + - / only)'
    return 1
  fi
  path=${BASH_REMATCH[2]}
  if [[ $path != */ ]]; then echo "no trailing slash; it must end in $pair"; return 1; fi
  if [[ $path == *//* || $path == */./* || $path == */../* ]]; then echo 'not in normal form (//, /./ or /../)'; return 1; fi
  if [[ $path != */"$pair" ]]; then echo "it does not end in $pair"; return 1; fi
  if [[ ${path%"$pair"} == */repository/* ]]; then echo "$pair is nested inside another repository/ directory"; return 1; fi
}

# What an ssh or rsync failure means, in plain language.
explain() {
  local out=$1 worker=$2 dest=$3 user host hostkey_name
  user=${worker%%@*}
  host=${worker#*@}
  host=${host%%:/*}
  host=${host#[}
  host=${host%]}
  if [[ $SSH_PORT == 22 ]]; then hostkey_name=$host; else hostkey_name="[$host]:$SSH_PORT"; fi
  case $out in
{{explainCases}}
  esac
}

is_confirmed() {
  local c
  for c in ${confirmed[@]+"${confirmed[@]}"}; do
    if [[ $c == "$1" ]]; then return 0; fi
  done
  return 1
}

# One run at a time. flock is released by the kernel when this process ends, so no run ever
# removes a lock another run holds; the file is opened read-only, whoever created it.
if [[ ! -e $LOCK ]]; then : >"$LOCK"; fi
exec 9<"$LOCK"
if ! flock --nonblock 9; then
  say "another sync still holds $LOCK: this run skipped"
  exit 0
fi

if [[ -f $LOG ]] && (( $(stat -c %s "$LOG") > MAX_LOG_BYTES )); then
  mv -f "$LOG" "$LOG.1"
fi

for pair in "${PAIRS[@]}"; do
  if [[ ! -d $MANAGER_HOME/$pair ]]; then
    say "FAILED: $MANAGER_HOME/$pair does not exist on this manager"
    exit 2
  fi
done
# An empty deployment directory means a broken manager, never an empty one: with --delete
# it would empty every worker.
shopt -s nullglob dotglob
deployed=("$MANAGER_HOME/${PAIRS[0]}"*)
shopt -u nullglob dotglob
if (( ${#deployed[@]} == 0 )); then
  say "FAILED: $MANAGER_HOME/${PAIRS[0]} is empty; refusing to push it with --delete (it would empty every worker)"
  exit 2
fi

if [[ ! -r $WORKERS ]]; then
  say "FAILED: cannot read the workers list $WORKERS"
  exit 2
fi
mapfile -t workers <"$WORKERS"
confirmed=()
if [[ -f $CONFIRMED ]]; then mapfile -t confirmed <"$CONFIRMED"; fi

status=0
for line in ${workers[@]+"${workers[@]}"}; do
  worker=${line%%#*}
  worker=${worker//[[:space:]]/}
  if [[ -z $worker ]]; then continue; fi
  for pair in "${PAIRS[@]}"; do
    dest="$worker/$pair"
    if ! problem=$(guard "$dest" "$pair"); then
      say "REFUSED $dest: $problem"
      status=1
      continue
    fi
    if ! is_confirmed "$dest"; then
      say "waiting: $dest has not had its first sync; run apim-gateway-wizard sync on this manager to preview and confirm it"
      continue
    fi
    if out=$(rsync "${RSYNC_OPTIONS[@]}" -e "$SSH_COMMAND" "$MANAGER_HOME/$pair" "$dest" 2>&1); then
      if [[ -n $out ]]; then say "$out"; fi
      # Itemized lines only (ssh may add a warning): sent, created, changed or deleted entries.
      changes=$(grep -cE '^([<>ch.][fdLDS]|\*deleting)' <<<"$out" || true)
      say "ok $dest ($changes change(s))"
    else
      rc=$?
      if [[ -n $out ]]; then say "$out"; fi
      say "FAILED $dest (rsync exit $rc): $(explain "$out" "$worker" "$dest")"
      status=1
    fi
  done
done
exit "$status"
