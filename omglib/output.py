"""Files on disk: outputs written so that nothing half-written is ever left behind, and
the SHA-256 every provenance, manifest and cache key names a file by."""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path

from omglib.errors import OmgError


def default_cache_dir() -> Path:
    """Where omglib keeps what it can make again (prepared boundaries, the Vega bundle):
    `OMG_CACHE_DIR`, else `$XDG_CACHE_HOME/omglib`, else `~/.cache/omglib`."""
    override = os.environ.get("OMG_CACHE_DIR")
    if override:
        return Path(override).expanduser()
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base).expanduser() / "omglib"


def write_text_atomic(path: str | Path, text: str) -> Path:
    """Write UTF-8 text to a temporary file beside `path`, then rename it into place."""
    return write_bytes_atomic(path, text.encode("utf-8"))


def write_bytes_atomic(path: str | Path, content: bytes) -> Path:
    """Write bytes to a temporary file beside `path`, then rename it into place."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(content)
        os.chmod(temporary, 0o666 & ~_umask())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return path


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


def file_sha256(path: Path) -> str:
    """The SHA-256 of a file, in 1 MiB blocks."""
    digest = hashlib.sha256()
    try:
        with path.open("rb") as stream:
            for block in iter(lambda: stream.read(1 << 20), b""):
                digest.update(block)
    except OSError as error:
        raise OmgError(f"{path}: filen kan ikke læses ({error.strerror})") from error
    return digest.hexdigest()
