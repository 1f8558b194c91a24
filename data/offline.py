"""Offline mode: serve Keras's dataset files from a local mirror.

Readers with internet never meet this module: `keras.datasets.*.load_data()` downloads as usual.
The tests and the record command start their kernels with `IPYTHONDIR=data/ipython`; its start-up
file calls `install()` when `DLBOOK_DATA_DIR` is set. From then on the unchanged calls

    keras.datasets.mnist.load_data()
    keras.datasets.imdb.load_data(num_words=10000)
    keras.datasets.imdb.get_word_index()

read the files in `DLBOOK_DATA_DIR` after checking each one against `data/manifest.json` (size and
sha256). Nothing is downloaded, copied or written: a missing or damaged file raises
`OfflineDataError` with one message that names the file, what is wrong and the fix.

Why a patch and not Keras's cache: `mnist.npz` and `imdb_word_index.json` are byte-identical to
Keras's files and would pass its hash check, but `imdb.npz` is a rebuild whose hash differs, so
Keras would reject it and try to download. Serving all three the same way keeps one rule.

This module imports only the standard library, so the start-up file can load it before the
notebook's first cell without importing TensorFlow.
"""

from __future__ import annotations

import hashlib
import importlib.abc
import importlib.machinery
import json
import os
import sys
from pathlib import Path

ENV_VAR = "DLBOOK_DATA_DIR"
MANIFEST_PATH = Path(__file__).with_name("manifest.json")
# The Keras modules whose `get_file` is served from the mirror.
PATCHED_MODULES = ("keras.src.datasets.mnist", "keras.src.datasets.imdb")


class OfflineDataError(RuntimeError):
    """A mirror file is missing or is not the file the manifest describes."""


def load_manifest(path: Path = MANIFEST_PATH) -> dict:
    with open(path, encoding="utf-8") as f:
        return json.load(f)["files"]


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _error(name: str, problem: str, fix: str) -> OfflineDataError:
    return OfflineDataError(f"Offline data file '{name}': {problem}. Fix: {fix}")


# Files already verified in this process, keyed by (path, size, mtime): hashing once is enough.
_verified: set[tuple[str, int, int]] = set()


def mirror_path(name: str, data_dir: str | os.PathLike | None = None,
                manifest: dict | None = None) -> Path:
    """Return the verified path of mirror file `name`; raise OfflineDataError otherwise."""
    manifest = load_manifest() if manifest is None else manifest
    data_dir = os.environ.get(ENV_VAR) if data_dir is None else data_dir
    if name not in manifest:
        known = ", ".join(sorted(manifest))
        raise _error(name, f"the offline mode does not serve this file (it serves {known})",
                     f"unset {ENV_VAR} to let Keras download it, or add it to data/manifest.json")
    expected = manifest[name]
    if not data_dir:
        raise _error(name, f"{ENV_VAR} is not set",
                     f"set {ENV_VAR} to the folder that holds the mirror (e.g. ../shared/datasets)")
    folder = Path(data_dir)
    if not folder.is_dir():
        raise _error(name, f"the mirror folder {folder} ({ENV_VAR}) does not exist",
                     f"point {ENV_VAR} at the folder that holds the mirror (e.g. ../shared/datasets), "
                     "or unset it to download from the internet")
    path = folder / name
    if not path.is_file():
        raise _error(name, f"it is missing from the mirror folder {folder}",
                     f"copy {name} (sha256 {expected['sha256']}) into {folder}; "
                     f"see {expected['provenance']}")
    stat = path.stat()
    key = (str(path.resolve()), stat.st_size, stat.st_mtime_ns)
    if key in _verified:
        return path
    if stat.st_size != expected["size"]:
        raise _error(name, f"{path} has {stat.st_size:,} bytes but the manifest says "
                     f"{expected['size']:,} (truncated or replaced)",
                     f"replace it with a fresh copy of the mirror file (sha256 {expected['sha256']})")
    actual = _sha256(path)
    if actual != expected["sha256"]:
        raise _error(name, f"{path} has sha256 {actual}, not the manifest's {expected['sha256']} "
                     "(corrupted or a different file)",
                     "replace it with a fresh copy of the mirror file; if the mirror itself changed "
                     "on purpose, update data/manifest.json and data/PROVENANCE.md with it")
    _verified.add(key)
    return path


def mirror_get_file(fname=None, origin=None, **_ignored):
    """Stand-in for `keras.utils.get_file` inside the patched dataset modules."""
    name = os.path.basename(fname or origin or "")
    return str(mirror_path(name))


def verify_mirror(data_dir: str | os.PathLike | None = None) -> dict[str, Path]:
    """Check every file of the manifest; return name -> path."""
    manifest = load_manifest()
    return {name: mirror_path(name, data_dir, manifest) for name in manifest}


def _patch(module) -> None:
    module.get_file = mirror_get_file


class _LoaderThatPatches(importlib.abc.Loader):
    def __init__(self, loader):
        self._loader = loader

    def create_module(self, spec):
        return self._loader.create_module(spec)

    def exec_module(self, module):
        self._loader.exec_module(module)
        _patch(module)


class _FinderThatPatches(importlib.abc.MetaPathFinder):
    """Wraps the loader of the dataset modules so they are patched the moment Keras imports them."""

    def find_spec(self, name, path, target=None):
        if name not in PATCHED_MODULES:
            return None
        spec = importlib.machinery.PathFinder.find_spec(name, path, target)
        if spec is not None and spec.loader is not None:
            spec.loader = _LoaderThatPatches(spec.loader)
        return spec


def install() -> bool:
    """Serve Keras's dataset downloads from the mirror in this process. Returns True if active."""
    if not os.environ.get(ENV_VAR):
        return False
    for name in PATCHED_MODULES:  # already imported: patch in place
        if name in sys.modules:
            _patch(sys.modules[name])
    if not any(isinstance(f, _FinderThatPatches) for f in sys.meta_path):
        sys.meta_path.insert(0, _FinderThatPatches())
    return True


if __name__ == "__main__":
    # `python data/offline.py [DIR]`: verify the mirror against the manifest.
    try:
        for name, path in verify_mirror(sys.argv[1] if len(sys.argv) > 1 else None).items():
            print(f"ok  {name}  {path}")
    except OfflineDataError as e:
        sys.exit(str(e))
