"""The offline data mode (data/offline.py): serves the mirror, and refuses bad input clearly.

Bad input must fail with ONE message that names the file, says what is wrong and gives the fix,
and must leave the mirror folder exactly as it was. The cases run on small files made here in a
temporary folder; two more run the real `keras.datasets` calls in a subprocess.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"


def load_offline_module():
    spec = importlib.util.spec_from_file_location("dlbook_offline_under_test", DATA / "offline.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


offline = load_offline_module()


def snapshot(folder: Path) -> dict:
    """Everything about a folder's files that a careless fix could change."""
    if not folder.exists():
        return {}
    return {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in sorted(folder.iterdir())}


@pytest.fixture
def small_mirror(tmp_path):
    """A mirror of two small files and the manifest that describes them."""
    folder = tmp_path / "mirror"
    folder.mkdir()
    manifest = {}
    for name, content in {"mnist.npz": b"digits" * 100, "imdb.npz": b"reviews" * 100}.items():
        (folder / name).write_bytes(content)
        manifest[name] = {"size": len(content), "sha256": hashlib.sha256(content).hexdigest(),
                          "provenance": "PROVENANCE.md"}
    offline._verified.clear()
    return folder, manifest


def assert_one_clear_message(error: Exception, name: str, *words: str):
    message = str(error)
    assert "\n" not in message, "the error should be one line"
    assert f"'{name}'" in message, f"the error should name the file: {message}"
    assert "Fix:" in message, f"the error should say how to fix it: {message}"
    for word in words:
        assert word in message, f"the error should say {word!r}: {message}"


def test_a_good_small_mirror_is_served(small_mirror):
    folder, manifest = small_mirror
    assert offline.mirror_path("imdb.npz", folder, manifest) == folder / "imdb.npz"


def test_missing_mirror_folder(small_mirror, tmp_path):
    _, manifest = small_mirror
    absent = tmp_path / "no-such-folder"
    with pytest.raises(offline.OfflineDataError) as error:
        offline.mirror_path("mnist.npz", absent, manifest)
    assert_one_clear_message(error.value, "mnist.npz", "does not exist", offline.ENV_VAR)
    assert not absent.exists(), "the offline mode must not create the folder"


def test_missing_file(small_mirror):
    folder, manifest = small_mirror
    (folder / "imdb.npz").unlink()
    before = snapshot(folder)
    with pytest.raises(offline.OfflineDataError) as error:
        offline.mirror_path("imdb.npz", folder, manifest)
    assert_one_clear_message(error.value, "imdb.npz", "missing", manifest["imdb.npz"]["sha256"])
    assert snapshot(folder) == before


def test_truncated_file(small_mirror):
    folder, manifest = small_mirror
    path = folder / "imdb.npz"
    path.write_bytes(path.read_bytes()[:-10])
    before = snapshot(folder)
    with pytest.raises(offline.OfflineDataError) as error:
        offline.mirror_path("imdb.npz", folder, manifest)
    assert_one_clear_message(error.value, "imdb.npz", "truncated", "690")
    assert snapshot(folder) == before


def test_file_with_other_checksum(small_mirror):
    folder, manifest = small_mirror
    path = folder / "mnist.npz"
    content = bytearray(path.read_bytes())
    content[0] ^= 0xFF  # same size, different bytes
    path.write_bytes(bytes(content))
    before = snapshot(folder)
    with pytest.raises(offline.OfflineDataError) as error:
        offline.mirror_path("mnist.npz", folder, manifest)
    assert_one_clear_message(error.value, "mnist.npz", "sha256", manifest["mnist.npz"]["sha256"])
    assert snapshot(folder) == before


def test_file_the_manifest_does_not_know(small_mirror):
    folder, manifest = small_mirror
    with pytest.raises(offline.OfflineDataError) as error:
        offline.mirror_path("cifar10.tar.gz", folder, manifest)
    assert_one_clear_message(error.value, "cifar10.tar.gz", "does not serve")


def test_unset_data_dir(small_mirror, monkeypatch):
    _, manifest = small_mirror
    monkeypatch.delenv(offline.ENV_VAR, raising=False)
    with pytest.raises(offline.OfflineDataError) as error:
        offline.mirror_path("mnist.npz", None, manifest)
    assert_one_clear_message(error.value, "mnist.npz", "not set")


def test_manifest_describes_the_real_mirror():
    """The manifest, the data/PROVENANCE.md page and the shared mirror agree."""
    data_dir = os.environ.get(offline.ENV_VAR) or ROOT.parent / "shared" / "datasets"
    if not Path(data_dir).is_dir():
        pytest.skip(f"no mirror at {data_dir}; set {offline.ENV_VAR} to check it")
    offline._verified.clear()
    served = offline.verify_mirror(data_dir)
    assert set(served) == {"mnist.npz", "imdb.npz", "imdb_word_index.json"}
    provenance = (DATA / "PROVENANCE.md").read_text(encoding="utf-8")
    for name, entry in offline.load_manifest().items():
        assert entry["sha256"] in provenance, f"data/PROVENANCE.md should give the sha256 of {name}"


def test_start_up_file_does_nothing_without_data_dir(tmp_path):
    """Readers' kernels never see the offline mode; without DLBOOK_DATA_DIR not even ours do."""
    startup = DATA / "ipython" / "profile_default" / "startup" / "00-offline-data.py"
    code = textwrap.dedent(f"""
        import sys
        namespace = {{}}
        exec(open({str(startup)!r}).read(), namespace)
        finders = [type(f).__name__ for f in sys.meta_path]
        leftovers = [k for k in namespace if not k.startswith("__")]
        print(finders, leftovers, "keras" in sys.modules)
    """)
    env = {k: v for k, v in os.environ.items() if k != offline.ENV_VAR}
    env["IPYTHONDIR"] = str(DATA / "ipython")
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert "_FinderThatPatches" not in out.stdout, out.stdout
    assert out.stdout.strip().endswith("[] False"), f"names left behind or keras imported: {out.stdout}"


def run_keras_call(data_dir: Path, call: str, keras_home: Path) -> subprocess.CompletedProcess:
    """Run an unchanged keras.datasets call in a fresh Python with the offline mode installed."""
    code = textwrap.dedent(f"""
        import os
        os.environ["TF_CPP_MIN_LOG_LEVEL"] = "3"
        import importlib.util
        spec = importlib.util.spec_from_file_location("offline", {str(DATA / 'offline.py')!r})
        offline = importlib.util.module_from_spec(spec); spec.loader.exec_module(offline)
        assert offline.install()
        import keras
        result = {call}
        print("LOADED", type(result).__name__)
    """)
    env = dict(os.environ, **{offline.ENV_VAR: str(data_dir), "KERAS_HOME": str(keras_home)})
    return subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=300)


def test_keras_call_reports_a_corrupt_file_and_downloads_nothing(tmp_path):
    """keras.datasets.imdb.get_word_index() with a damaged mirror file: our error, no download."""
    folder = tmp_path / "mirror"
    folder.mkdir()
    manifest = offline.load_manifest()
    size = manifest["imdb_word_index.json"]["size"]
    (folder / "imdb_word_index.json").write_bytes(b"{" + b" " * (size - 2) + b"}")
    before = snapshot(folder)
    result = run_keras_call(folder, "keras.datasets.imdb.get_word_index()", tmp_path / "keras-home")
    assert result.returncode != 0, result.stdout
    assert "OfflineDataError: Offline data file 'imdb_word_index.json'" in result.stderr, result.stderr[-2000:]
    assert "sha256" in result.stderr
    assert snapshot(folder) == before
    assert not (tmp_path / "keras-home" / "datasets" / "imdb_word_index.json").exists()


def test_keras_call_serves_the_real_mirror(tmp_path):
    """The unchanged keras.datasets call reads the rebuilt imdb.npz that Keras's own hash rejects."""
    data_dir = Path(os.environ.get(offline.ENV_VAR) or ROOT.parent / "shared" / "datasets")
    if not (data_dir / "imdb.npz").is_file():
        pytest.skip(f"no mirror at {data_dir}; set {offline.ENV_VAR} to check it")
    result = run_keras_call(data_dir, "keras.datasets.imdb.load_data(num_words=10000)", tmp_path / "keras-home")
    assert result.returncode == 0, result.stderr[-2000:]
    assert "LOADED tuple" in result.stdout
