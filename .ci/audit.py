"""Known-vulnerable dependencies in the installed environment: fails loudly, never passes
silently.

1. ``pip-audit --strict`` asks PyPI's advisory API about every installed release. When it can
   audit everything, its answer is the answer (0: nothing known, 1: a vulnerable release, with
   the advisory and the fixed version).
2. Where that API cannot be reached (a workplace that reaches only a package mirror), pip-audit
   audits nothing and, with --strict, says so. The registry's project pages
   (``/pypi/<name>/json``) still list the advisories of each project's newest release, so a
   package installed at its newest release is audited with those. A package below its newest
   release cannot be audited that way: it must be listed with its exact version, and why it is
   held back and what was checked, in ``.ci/audit-reviewed.txt``; otherwise the step fails and
   names it. A new version of a held-back package is unreviewed again.

Usage: ``python .ci/audit.py`` with the environment's python (``.venv/bin/python``).
"""

from __future__ import annotations

import json
import subprocess
import sys
import urllib.request
from importlib import metadata
from pathlib import Path

from packaging.specifiers import InvalidSpecifier, SpecifierSet
from packaging.utils import canonicalize_name
from packaging.version import InvalidVersion, Version

REVIEWED = Path(__file__).with_name("audit-reviewed.txt")
PROJECT_JSON = "https://pypi.org/pypi/{name}/json"
UNREACHABLE = "could not be audited"


def pip_audit() -> tuple[int, str]:
    command = [sys.executable, "-m", "pip_audit", "--strict", "--skip-editable"]
    command += ["--progress-spinner", "off", "--desc", "on"]
    done = subprocess.run(command, capture_output=True, text=True, check=False)  # noqa: S603
    return done.returncode, done.stdout + done.stderr


def installed() -> dict[str, str]:
    """Every installed distribution but the forum itself (installed editable)."""
    found = {}
    for dist in metadata.distributions():
        name = canonicalize_name(dist.metadata["Name"])
        if name != "dorpsplein":
            found[name] = dist.version
    return found


def reviewed() -> dict[str, tuple[str, str]]:
    """name -> (version, reason) from the reviewed list (``name==version  reason``)."""
    entries = {}
    for line in REVIEWED.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        pin, _, reason = line.partition(" ")
        name, _, version = pin.partition("==")
        entries[canonicalize_name(name)] = (version, reason.strip())
    return entries


def project(name: str, tries: int = 3) -> dict:
    url = PROJECT_JSON.format(name=name)
    for attempt in range(tries):
        try:
            with urllib.request.urlopen(url, timeout=30) as answer:  # noqa: S310 (fixed https URL)
                return json.load(answer)
        except OSError:
            if attempt == tries - 1:
                raise
    raise AssertionError("unreachable")


def installable(files: list[dict]) -> bool:
    """A release this Python can install: some file not yanked whose Requires-Python fits."""
    here = ".".join(str(part) for part in sys.version_info[:3])
    for file in files:
        if file.get("yanked"):
            continue
        try:
            if here in SpecifierSet(file.get("requires_python") or ""):
                return True
        except InvalidSpecifier:
            continue
    return False


def newest_installable(data: dict) -> str:
    """The newest final release this Python could install (a newer one for Python 3.12 only is
    not "newer" here); the project's newest when the page lists no files."""
    best = None
    for raw, files in (data.get("releases") or {}).items():
        try:
            version = Version(raw)
        except InvalidVersion:
            continue
        if not version.is_prerelease and installable(files) and (best is None or version > best):
            best = version
    return str(best) if best is not None else data["info"]["version"]


def audit_with_project_pages() -> int:
    notes = reviewed()
    problems: list[str] = []
    audited = held_back = 0
    for name, version in sorted(installed().items()):
        try:
            data = project(name)
        except OSError as error:
            problems.append(f"{name} {version}: no project page ({error})")
            continue
        latest = data["info"]["version"]
        if version == latest:
            audited += 1
            for advisory in data.get("vulnerabilities") or []:
                if not advisory.get("withdrawn"):
                    fixed = ", ".join(advisory.get("fixed_in") or []) or "no fix yet"
                    problems.append(f"{name} {version}: {advisory['id']} (fixed in {fixed})")
        elif notes.get(name, ("", ""))[0] == version:
            held_back += 1
            print(f"  {name} {version} (newest {latest}): reviewed — {notes[name][1]}")
        else:
            here = newest_installable(data)
            can = "" if here == latest else f"; newest for this Python: {here}"
            problems.append(
                f"{name} {version} is not its newest release ({latest}{can}) and cannot be "
                f"audited here: upgrade it, or review it and list it in {REVIEWED.name}"
            )
    print(f"Audited {audited} packages at their newest release; {held_back} held back, reviewed.")
    for problem in problems:
        print(f"FAIL {problem}")
    return 1 if problems else 0


def main() -> int:
    code, output = pip_audit()
    if UNREACHABLE not in output:
        print(output.strip())
        return code
    print(
        "pip-audit cannot reach PyPI's advisory API from here (it audited nothing); "
        "auditing with the registry's project pages instead."
    )
    return audit_with_project_pages()


if __name__ == "__main__":
    sys.exit(main())
