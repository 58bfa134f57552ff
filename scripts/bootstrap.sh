#!/usr/bin/env bash
# Make a working Safehub checkout: virtualenv, Python packages, GOV.UK Frontend assets.
# Safe to run again: each step is skipped when it is already up to date.
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf '\033[1m%s\033[0m\n' "$*" >&2; }

python_bin=""
for candidate in "${PYTHON:-}" python3.11 python3; do
  if [ -n "$candidate" ] && command -v "$candidate" >/dev/null 2>&1 \
     && "$candidate" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)'; then
    python_bin=$candidate
    break
  fi
done
if [ -z "$python_bin" ]; then
  echo "Safehub needs Python 3.11 or newer: install it (for example 'apt-get install python3.11 python3.11-venv') and try again." >&2
  exit 1
fi

if [ ! -x .venv/bin/python ]; then
  say "Creating the virtualenv in .venv"
  "$python_bin" -m venv .venv
fi
if [ ! -f .venv/.installed ] || [ pyproject.toml -nt .venv/.installed ]; then
  say "Installing Python packages"
  .venv/bin/python -m pip install --quiet --disable-pip-version-check --upgrade pip
  .venv/bin/python -m pip install --quiet --disable-pip-version-check -e ".[dev]"
  touch .venv/.installed
fi

# The source maps go too: the CSS and JS name them, and collecting static files for production checks that.
if [ ! -f safehub/static/govuk/govuk-frontend.min.css.map ] || [ package-lock.json -nt safehub/static/govuk/govuk-frontend.min.css ]; then
  if ! command -v npm >/dev/null 2>&1; then
    echo "Safehub needs npm to fetch the GOV.UK Frontend assets: install Node.js and npm (for example 'apt-get install npm')." >&2
    exit 1
  fi
  say "Fetching GOV.UK Frontend"
  npm ci --no-audit --no-fund --loglevel=error >/dev/null
  rm -rf safehub/static/govuk
  mkdir -p safehub/static/govuk
  cp -R node_modules/govuk-frontend/dist/govuk/govuk-frontend.min.css \
        node_modules/govuk-frontend/dist/govuk/govuk-frontend.min.css.map \
        node_modules/govuk-frontend/dist/govuk/govuk-frontend.min.js \
        node_modules/govuk-frontend/dist/govuk/govuk-frontend.min.js.map \
        node_modules/govuk-frontend/dist/govuk/assets safehub/static/govuk/
fi

# The DfE's census rules and the Annex A cleaner pin older libraries than Safehub's: each gets a
# virtualenv of its own under .validators/ (ADR 0040), made again only when its requirements change.
if [ -d validators ]; then
  .venv/bin/safehub validators install >/dev/null
fi
