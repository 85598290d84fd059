"""Build the map's glyphs (MapLibre's SDF font ranges) shipped in dashboard/vendor/glyphs/.

Town names on the MapLibre map need glyph PBFs: without a `glyphs` URL of its own the map
fetches them from the internet. Run once, by hand, when the font or the ranges change; the
outputs are committed and the app only serves them (dashboard/glyphs.py).

    python tools/build_glyphs.py            # needs node/npm and fonts-dejavu-core

npm `fontnik` (Mapbox's glyph builder, the one MapLibre's own fonts are made with; it ships
a prebuilt linux-x64 binary) is installed into a throwaway folder outside the repository, as
tools/build_basemap.py does with its virtual environment; it is never a dependency of the app.
Font: Debian's DejaVu Sans (fonts-dejavu-core; Bitstream Vera licence, DejaVu changes public
domain), the same face the page's CSS falls back to. Only the ranges Italian and English
place names need: 0-255 (Latin-1) and 256-511 (Latin Extended-A); dashboard/glyphs.py answers
any other range with an empty one.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DEFAULT_OUT = REPO / "dashboard" / "vendor" / "glyphs"
FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
FONT_COPYRIGHT = Path("/usr/share/doc/fonts-dejavu-core/copyright")
FONTSTACK = "DejaVu Sans"  # the name the map's text-font asks for
RANGES = ((0, 255), (256, 511))
FONTNIK = "fontnik@0.7.7"

# fontnik.range() gives one range's PBF; written as <start>-<end>.pbf
NODE_SCRIPT = """
const fontnik = require('fontnik');
const fs = require('fs');
const [font, out, ...ranges] = process.argv.slice(1);
const bytes = fs.readFileSync(font);
for (const r of ranges) {
  const [start, end] = r.split('-').map(Number);
  fontnik.range({font: bytes, start, end}, (err, pbf) => {
    if (err) { console.error(err); process.exit(1); }
    fs.writeFileSync(`${out}/${start}-${end}.pbf`, pbf);
  });
}
"""


def build(out: Path, work: Path) -> list[Path]:
    for tool in ("node", "npm"):
        if shutil.which(tool) is None:
            sys.exit(f"{tool} not found: install Debian's nodejs and npm")
    if not FONT.is_file():
        sys.exit(f"{FONT} not found: apt-get install fonts-dejavu-core")
    (work / "package.json").write_text('{"private": true}\n')
    subprocess.run(
        ["npm", "install", "--no-audit", "--no-fund", "--loglevel=error", FONTNIK],
        cwd=work,
        check=True,
    )
    stack = out / FONTSTACK
    stack.mkdir(parents=True, exist_ok=True)
    ranges = [f"{start}-{end}" for start, end in RANGES]
    subprocess.run(
        ["node", "-e", NODE_SCRIPT, str(FONT), str(stack), *ranges], cwd=work, check=True
    )
    written = [stack / f"{r}.pbf" for r in ranges]
    for path in written:  # a glyph set of 256 characters is never this small
        if not path.is_file() or path.stat().st_size < 1000:
            sys.exit(f"{path}: missing or empty")
    shutil.copyfile(FONT_COPYRIGHT, out / "LICENSE")
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="glyphs-build-") as work:
        for path in build(args.out, Path(work)):
            print(f"{path.relative_to(args.out)}: {path.stat().st_size} bytes")


if __name__ == "__main__":
    main()
