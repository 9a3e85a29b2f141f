"""The map's third-party files in templates/static/vendor/ are exactly what tools/map/bundle.mjs makes from the
npm packages tools/package-lock.json pins: no one edits them by hand, and a version change shows in the lock."""
from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

from quality import NODE_TOOLS, REPO_ROOT, require_tool

VENDOR = REPO_ROOT / "templates" / "static" / "vendor"
BUNDLER = REPO_ROOT / "tools" / "map" / "bundle.mjs"


def test_the_vendored_map_files_are_what_the_pinned_packages_make(tmp_path: Path):
    require_tool(NODE_TOOLS / "esbuild", "esbuild, which bundles the map's libraries (npm)")
    node = shutil.which("node")
    assert node, "node is needed to bundle the map's libraries"
    subprocess.run([node, str(BUNDLER), str(tmp_path)], check=True, capture_output=True, timeout=120)
    made = sorted(p.name for p in tmp_path.iterdir())
    assert made == sorted(p.name for p in VENDOR.iterdir()) == ["LICENSES.txt", "map-grid.json", "map-lib.js",
                                                                      "map-states.json"]
    for name in made:
        assert (tmp_path / name).read_bytes() == (VENDOR / name).read_bytes(), (
            f"templates/static/vendor/{name} differs from what tools/map/bundle.mjs makes: run `make map-vendor`")


def test_every_bundled_package_is_pinned_and_its_licence_published():
    lock = json.loads((REPO_ROOT / "tools" / "package-lock.json").read_text())["packages"]
    banner = (VENDOR / "map-lib.js").read_text().splitlines()[0]
    licences = (VENDOR / "LICENSES.txt").read_text()
    named = banner.split(": ", 1)[1].split(". ")[0].split(", ")
    assert len(named) >= 4
    for entry in named + [f"us-atlas {lock['node_modules/us-atlas']['version']}"]:
        name, version = entry.rsplit(" ", 1)
        assert lock[f"node_modules/{name}"]["version"] == version
        assert f"{name} {version} (" in licences
