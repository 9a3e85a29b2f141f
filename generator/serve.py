"""Local preview: build, serve the output with live reload, rebuild when content or templates change."""
from __future__ import annotations

import sys
from pathlib import Path

from .errors import ContentError
from .render import TEMPLATES_DIR
from .pipeline import Builder
from .cli import print_problems


def rebuild(builder: Builder) -> bool:
    """Build once; on content errors print them and keep the last good site. Return success."""
    output = builder.output
    try:
        builder.build()
    except ContentError as exc:
        print_problems(exc.problems)
        print("Fix the problems above; the last good build is still being served.", file=sys.stderr)
        return False
    print(f"Rebuilt {output}/", file=sys.stderr)
    return True


def serve(content: Path, output: Path, base_url: str | None, host: str, port: int,
          repository: str | None = None, templates: Path | None = None, workers: int | None = None) -> int:
    """Serve until interrupted; return an exit code."""
    from livereload import Server

    builder = Builder(content, output, base_url, templates, repository, workers=workers)
    if not rebuild(builder) and not output.is_dir():
        return 1
    server = Server()
    for folder in (content, templates or TEMPLATES_DIR):
        server.watch(str(folder), lambda: rebuild(builder), delay=0.2)
    print(f"Serving http://{host}:{port}/ — press Ctrl+C to stop.", file=sys.stderr)
    server.serve(root=str(output), host=host, port=port, open_url_delay=None, restart_delay=0)
    return 0
