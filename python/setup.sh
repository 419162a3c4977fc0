#!/usr/bin/env bash
# Creates or refreshes python/.venv from python/requirements.txt. Idempotent: a stamp file inside the
# venv holds the hash of requirements.txt, and nothing is installed while it matches. Prints one line;
# exits non-zero when Python, venv or pip fails (pip's own output is shown then). pip retries an
# unreachable index once, not five times (PIP_RETRIES overrides): on machines that install from a local
# mirror and cannot reach the default index, the five retries cost about a minute per setup.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
venv="$here/.venv"
stamp="$venv/.requirements.sha256"
python="${PYTHON:-python3}"
want="$(sha256sum "$here/requirements.txt" | cut -d' ' -f1)"
if [[ -x "$venv/bin/python" && -f "$stamp" && "$(cat "$stamp")" == "$want" ]]; then
  echo "python/setup.sh: $venv is up to date"
  exit 0
fi
start=$SECONDS
rm -rf "$venv"
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
if ! "$python" -m venv "$venv" >"$log" 2>&1 \
  || ! "$venv/bin/python" -m pip install --quiet --disable-pip-version-check --retries "${PIP_RETRIES:-1}" -r "$here/requirements.txt" >>"$log" 2>&1; then
  cat "$log" >&2
  rm -rf "$venv"
  echo "python/setup.sh: setting up $venv failed (output above)" >&2
  exit 1
fi
echo "$want" >"$stamp"
echo "python/setup.sh: installed $venv from requirements.txt in $((SECONDS - start)) s"
