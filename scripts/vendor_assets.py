#!/usr/bin/env python3
"""Copy the front-end files motcua serves from node_modules/ into motcua/web/static/vendor/.

Run after `npm ci` (``make setup`` does both). Pure standard library, so it works before the
virtual environment exists. Every source file must exist: a missing one means the npm
package changed its layout, and the pages would silently load without styles or htmx.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NODE_MODULES = ROOT / "node_modules"
TARGET = ROOT / "motcua" / "web" / "static" / "vendor"

# (npm package, file inside the package, target path under static/vendor/)
ASSETS: list[tuple[str, str, str]] = [
    ("htmx.org", "dist/htmx.min.js", "htmx/htmx.min.js"),
    ("@picocss/pico", "css/pico.min.css", "pico/pico.min.css"),
    ("chart.js", "dist/chart.umd.min.js", "chartjs/chart.umd.min.js"),
]
# Licences travel with the files we redistribute.
LICENSE_NAMES = ("LICENSE", "LICENSE.md", "LICENSE.txt", "LICENCE")


def _shown(path: Path) -> str:
    """Return the path relative to the repository when it lies inside it."""
    try:
        return str(path.relative_to(ROOT))
    except ValueError:
        return str(path)


def _package_version(package_dir: Path) -> str:
    """Return the version recorded in the installed package's package.json."""
    data = json.loads((package_dir / "package.json").read_text(encoding="utf-8"))
    return str(data.get("version", "?"))


def vendor(node_modules: Path, target: Path, *, quiet: bool = False) -> list[str]:
    """Copy every asset, returning the list of problems (empty when all went well)."""
    problems: list[str] = []
    for package, source_name, target_name in ASSETS:
        package_dir = node_modules / package
        source = package_dir / source_name
        if not source.is_file() or source.stat().st_size == 0:
            problems.append(f"missing or empty: {_shown(source)} (npm package {package})")
            continue
        destination = target / target_name
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, destination)
        for licence in LICENSE_NAMES:
            if (package_dir / licence).is_file():
                shutil.copyfile(package_dir / licence, destination.parent / "LICENSE")
                break
        if not quiet:
            version = _package_version(package_dir)
            print(f"vendored {package}@{version}: {source_name} -> {_shown(destination)}")
    return problems


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--node-modules", type=Path, default=NODE_MODULES)
    parser.add_argument("--target", type=Path, default=TARGET)
    parser.add_argument("-q", "--quiet", action="store_true")
    opts = parser.parse_args(argv)
    if not opts.node_modules.is_dir():
        print(
            f"vendor_assets: {opts.node_modules} does not exist; run `npm ci` first",
            file=sys.stderr,
        )
        return 1
    problems = vendor(opts.node_modules.resolve(), opts.target.resolve(), quiet=opts.quiet)
    for problem in problems:
        print(f"vendor_assets: {problem}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
