#!/usr/bin/env bash
# Known vulnerabilities in ticketapp's dependencies (`make audit`):
#  - pip-audit over exactly what the app's venv has installed (pip freeze, pinned);
#  - npm audit over the frontend's locked packages (reflex.lock/package-lock.json).
# Usage: .ci/audit.sh PYTHON AUDIT_VENV. Exit 0: nothing known; 1: vulnerabilities found;
# 2: an advisory source could not be reached (then nothing from it was checked).
set -u
PY=$1
AUDIT_VENV=$2
status=0

if ! test -x "$AUDIT_VENV/bin/pip-audit"; then
    python3 -m venv "$AUDIT_VENV" && "$AUDIT_VENV/bin/pip" install -q pip-audit || {
        echo "make audit: could not install pip-audit from PyPI (is PyPI reachable?)"
        exit 2
    }
fi
"$PY" -m pip freeze --exclude-editable > "$AUDIT_VENV/requirements.txt"

echo "==> pip-audit: the Python packages installed in the app's venv"
out=$("$AUDIT_VENV/bin/pip-audit" --progress-spinner off --no-deps --disable-pip \
    -r "$AUDIT_VENV/requirements.txt" 2>&1)
code=$?
echo "$out" | grep -v "could not be audited"
if echo "$out" | grep -q "not found on PyPI and could not be audited"; then
    echo "make audit: PyPI's vulnerability data could not be reached from here:" \
        "$(echo "$out" | grep -c "could not be audited") packages were NOT checked."
    status=2
elif [ $code -ne 0 ]; then
    status=1
fi

echo "==> npm audit: the frontend's packages (reflex.lock/package-lock.json)"
out=$(cd reflex.lock && npm audit --package-lock-only --omit=dev 2>&1)
code=$?
echo "$out"
if echo "$out" | grep -qE "audit endpoint returned an error|ENOTFOUND|ECONNREFUSED|ETIMEDOUT"; then
    echo "make audit: the npm registry's advisory service could not be reached: the frontend's" \
        "packages were NOT checked."
    [ $status -eq 0 ] && status=2
elif [ $code -ne 0 ] && [ $status -ne 2 ]; then
    status=1
fi
exit $status
