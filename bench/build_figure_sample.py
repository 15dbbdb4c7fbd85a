"""CPU seconds of drawing a sample of the build's figures in one process, language after language.

Run from the repository root:  python bench/build_figure_sample.py [--every 5] [--lang en,fa] [--out DIR] [--profile]
Loads the atlas, computes what every figure shares (``files.warm``), shares map layers through a
temporary folder as a build does, then writes every ``--every``-th figure of ``figure_names`` (PNG
and SVG; pairs PNG) in each language in turn, and prints the CPU seconds (``time.process_time``:
other work on the machine hardly changes it) each language took. The first language draws the maps'
layers; the later ones find them, as the build's later editions do. ``--out`` keeps the files (one
folder per language) to compare two versions of the code; ``--profile`` prints a cProfile of the last
language. It reports; it never fails.
"""
from __future__ import annotations

import argparse
import cProfile
import gc
import pstats
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--every", type=int, default=5, help="draw every N-th figure (default 5: 23 of 114)")
    ap.add_argument("--lang", default="en,fa", help="languages in turn (default en,fa)")
    ap.add_argument("--out", default=None, help="keep the files in this folder (one sub-folder per language)")
    ap.add_argument("--profile", action="store_true", help="print a cProfile of the last language")
    args = ap.parse_args()

    import mapper
    from mapper.figures import files, layers

    atlas = mapper.load()
    files.warm(atlas)
    gc.freeze()  # as the build's worker processes do (mapper.workers)
    names = files.figure_names(atlas)[::args.every]
    langs = args.lang.split(",")
    with tempfile.TemporaryDirectory(prefix="mapper-sample-") as tmp:
        layers.use_folder(Path(tmp) / "layers")
        (Path(tmp) / "layers").mkdir()
        out = Path(args.out) if args.out else Path(tmp) / "out"
        for i, lang in enumerate(langs):
            folder = out / lang
            folder.mkdir(parents=True, exist_ok=True)
            prof = cProfile.Profile() if args.profile and i == len(langs) - 1 else None
            c0 = time.process_time()
            if prof:
                prof.enable()
            for name in names:
                files.write_figure(atlas, name, folder, lang=lang)
            if prof:
                prof.disable()
            print(f"{lang}: {len(names)} figures, {time.process_time() - c0:.2f} CPU s", flush=True)
            if prof:
                pstats.Stats(prof).sort_stats("cumulative").print_stats(60)
                pstats.Stats(prof).sort_stats("tottime").print_stats(40)
        layers.use_folder(None)


if __name__ == "__main__":
    main()
