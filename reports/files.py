"""Files that readers may open at any moment (issued reports, batch PDFs, ZIPs): written aside
under a name of this process and thread, then moved or linked into place, so a reader sees no
file, the old one or the whole new one — never a part."""

from __future__ import annotations

import os
import threading
from pathlib import Path


def aside(path: Path) -> Path:
    """A temporary name next to ``path``, of this process and thread only."""
    return path.with_name(f".{path.name}.{os.getpid()}-{threading.get_ident()}.tmp")


def write_atomically(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path``, replacing what was there in one step."""
    temporary = aside(path)
    try:
        temporary.write_bytes(data)
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)


def write_once(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` unless a file is there already: an existing copy is never replaced."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = aside(path)
    try:
        temporary.write_bytes(data)
        os.link(temporary, path)
    except FileExistsError:
        pass
    finally:
        temporary.unlink(missing_ok=True)
