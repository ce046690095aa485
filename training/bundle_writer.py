"""Write a bundle atomically: build it in a temp folder beside the target, then rename."""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

from model.bundle import MANIFEST, Manifest, sha256_file


def seal(folder: Path, manifest: Manifest) -> None:
    """Hash every file of ``folder`` into ``manifest`` and write it there: a loadable bundle."""
    manifest.files = {str(p.relative_to(folder)): sha256_file(p) for p in sorted(folder.rglob("*"))
                      if p.is_file() and p.name != MANIFEST}
    (folder / MANIFEST).write_text(json.dumps(manifest.model_dump(mode="json"), indent=2, ensure_ascii=False),
                                   encoding="utf-8")


def write_bundle(target: Path, fill: Callable[[Path], Manifest]) -> Path:
    """``fill(tmpdir)`` writes the files and returns the manifest; sha256s are added here.

    A crash at any point leaves either the old bundle or the new one at ``target``, never
    half of one.
    """
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}.tmp-", dir=target.parent))
    try:
        seal(tmp, fill(tmp))
        old = None
        if target.exists():
            old = target.parent / f".{target.name}.old-{os.getpid()}"
            os.replace(target, old)
        os.replace(tmp, target)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return target
