#!/usr/bin/env bash
# Issue 14: `pip install .` (no extras, not editable) must give a working `notifier`.
# Builds the wheel, installs it without extras into a fresh virtual environment outside the
# repository, then from an empty folder runs the commands a new user runs first and imports
# every module of the installed package. Any error fails CI. Nothing here uses the repo's .venv.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
PYTHON="${PYTHON:-python3}"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/notifier-clean-install-XXXXXX")"
trap 'rm -rf "$WORK"' EXIT
step() { printf '\n== clean install: %s\n' "$*"; }

step "build the wheel from $ROOT"
"$PYTHON" -m pip wheel -q --no-deps -w "$WORK/dist" "$ROOT"
WHEEL="$(ls "$WORK"/dist/pickup_notifier-*.whl)"
echo "$(basename "$WHEEL")"

step "install it without extras into a fresh venv ($WORK/venv)"
"$PYTHON" -m venv "$WORK/venv"
"$WORK/venv/bin/python" -m pip install -q "$WHEEL"
for tool in moto schemathesis pytest mypy; do
  if "$WORK/venv/bin/python" -c "import $tool" 2>/dev/null; then
    echo "a plain install pulled in the dev tool '$tool'" >&2; exit 1
  fi
done

# An empty folder and an environment without the repository or the developer's settings.
mkdir -p "$WORK/empty" "$WORK/home"
cd "$WORK/empty"
run() {
  echo "\$ $*"
  env -i PATH="$WORK/venv/bin:/usr/bin:/bin" HOME="$WORK/home" LANG=C.UTF-8 "$@"
}

step "notifier --version"
run notifier --version

step "notifier demo (embedded defaults: local mail sink, no AWS account)"
run notifier demo > demo.log 2>&1 || { cat demo.log; exit 1; }
tail -n 5 demo.log
grep -q "emails went out" demo.log
test -s pickup-report.html

step "notifier segment"
echo "Flat 302, B wing, Prestige Shantiniketan, Whitefield, Bengaluru 560048" > addresses.txt
run notifier segment addresses.txt | tee segments.jsonl
grep -q '"building"' segments.jsonl

step "notifier match"
cat > registry.jsonl <<'JSON'
{"building_id": "B1", "name": "Prestige Shantiniketan", "locality": "Whitefield", "city": "Bengaluru", "pincode": "560048"}
{"building_id": "B2", "name": "Sobha Dream Acres", "locality": "Panathur", "city": "Bengaluru", "pincode": null}
JSON
run notifier match --registry registry.jsonl addresses.txt | tee matches.jsonl
grep -q '"building_id": *"B1"' matches.jsonl

step "import every module of the installed package"
run python "$ROOT/.ci/import_all.py"

step "passed: the wheel works with its declared dependencies only"
