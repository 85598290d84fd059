"""Runtime settings: from command-line options and environment variables, with defaults.

Nothing here reads data; it only says where things are.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA_DIR = REPO_ROOT / "data"
ASSETS_DIR = REPO_ROOT / "assets"
# brotli twins of the static files, made by `python -m tools.build_twins`
PRECOMPRESSED_DIR = Path(__file__).resolve().parent / "vendor" / "precompressed"


@dataclass(frozen=True)
class Config:
    """Where the data lives and how the app behaves.

    Environment variables (all optional):
    MIGLIA_DATA_DIR      folder holding stages.geojson and rankings/ (default: the repository's data/)
    MIGLIA_EDITOR_TOKEN  the secret editors type to upload, replace, restore or delete ranking
                         files on /editor; unset, the editor page is read-only
    """

    data_dir: Path = DEFAULT_DATA_DIR
    assets_dir: Path = ASSETS_DIR
    editor_token: str | None = field(default=None, repr=False)  # never printed or logged
    precompressed_dir: Path = PRECOMPRESSED_DIR

    @property
    def stages_path(self) -> Path:
        return self.data_dir / "stages.geojson"

    @property
    def rankings_dir(self) -> Path:
        return self.data_dir / "rankings"

    @property
    def basemap_dir(self) -> Path:
        return self.assets_dir / "basemap"

    @classmethod
    def from_env(cls, data_dir: str | Path | None = None) -> Config:
        env_dir = os.environ.get("MIGLIA_DATA_DIR")
        chosen = Path(data_dir or env_dir or DEFAULT_DATA_DIR).expanduser().resolve()
        return cls(
            data_dir=chosen,
            editor_token=os.environ.get("MIGLIA_EDITOR_TOKEN") or None,
        )
