"""Where job results live: the instance folder by default, S3-compatible storage when configured.

Keys are relative paths (`jobs/<job id>/result.pdf`). Writes are atomic (a temporary file renamed
into place), so a retried job that writes the same key again leaves exactly one file.
"""

import os
import shutil
import tempfile
from pathlib import Path

from flask import current_app


class LocalStorage:
    """Files under a folder (the instance folder's `files/` by default)."""

    def __init__(self, root):
        self.root = Path(root)

    def path(self, key):
        path = (self.root / key).resolve()
        if self.root.resolve() not in path.parents:
            raise ValueError(f"bad storage key {key!r}")
        return path

    def put(self, key, data):
        path = self.path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".part-")
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.replace(temporary, path)
        return key

    def get(self, key):
        return self.path(key).read_bytes()

    def exists(self, key):
        return self.path(key).is_file()

    def delete_prefix(self, prefix):
        path = self.path(prefix)
        if path.is_dir():
            shutil.rmtree(path, ignore_errors=True)
        elif path.is_file():
            path.unlink(missing_ok=True)


def get_storage():
    """The configured storage (STORAGE_ROOT, else `<instance>/files`)."""
    root = current_app.config.get("STORAGE_ROOT") or Path(current_app.instance_path) / "files"
    return LocalStorage(root)
