"""The command line: ``mapper build | slice | events | validate | derive``.

The only module that prints and sets exit codes. Every MapperError becomes ``Error: …`` on
stderr and exit code 1, with no traceback.
"""
from __future__ import annotations

import functools
import os
import sys
from pathlib import Path

import click

import mapper
from mapper.errors import MapperError

geodata_option = click.option(
    "--geodata", type=click.Path(file_okay=False, path_type=Path), default=None,
    help="Folder holding the geodata (default: $MAPPER_GEODATA if set, else the data shipped in the package, mapper/data).",
)


def _friendly(fn):
    """Turn mapper's errors and interrupts into a message and an exit code, never a traceback."""

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except MapperError as e:
            raise click.ClickException(str(e)) from None
        except KeyboardInterrupt:
            click.echo("Interrupted; earlier outputs are untouched.", err=True)
            sys.exit(130)
        except BrokenPipeError:  # the reader left (`mapper events | head`): stop quietly, as cat would
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # (nothing more to flush at exit)
            sys.exit(141)  # 128 + SIGPIPE, what a shell reports for a program the pipe ended
        except OSError as e:
            where = f"{e.filename}: " if e.filename else ""
            raise click.ClickException(f"{where}{e.strerror or e}") from None

    return wrapper


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(mapper.__version__, prog_name="mapper")
def main() -> None:
    """Build and explore the Iran–Russia territorial-change atlas.

    Every command reads the geodata from --geodata DIR, else from the folder named by the
    MAPPER_GEODATA environment variable, else from the geodata shipped in the package (mapper/data).
    """


@main.command()
@geodata_option
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=Path("outputs"), show_default=True,
              help="Folder to write the outputs into.")
@click.option("--cdn", is_flag=True, help="Link Leaflet from a CDN instead of inlining it (smaller, needs the network).")
@click.option("--no-figures", is_flag=True, help="Skip the print figures and the printed atlas (faster); those of an "
              "earlier build are removed, not left stale.")
@click.option("--no-pdf", is_flag=True, help="Skip the printed atlas (atlas.pdf).")
@click.option("--figures", "only", default=None, metavar="ID,ID,...",
              help="Draw only these figures (event ids, overview, territory, <event-id>-before-after).")
@click.option("--lang", "langs", default=None, metavar="LANG,LANG,...",
              help="Build only these editions: en (at the top of OUT), fa and ru (in OUT/fa/, OUT/ru/); default: all.")
@_friendly
def build(geodata, out, cdn, no_figures, no_pdf, only, langs):
    """Validate the geodata and write every output into OUT.

    Outputs whose inputs did not change since the last build into OUT are carried over, not made
    again. On a terminal, one line per stage says what was made and what was unchanged.
    """
    from dataclasses import replace

    from mapper.build import BuildOptions
    from mapper.build import build as run

    atlas = mapper.load(geodata)
    progress = (lambda line: click.echo(f"  {line}", err=True)) if sys.stderr.isatty() else None
    figures = tuple(n.strip() for n in only.split(",") if n.strip()) if only else None
    options = BuildOptions(cdn=cdn, figures=figures, progress=progress)
    if langs is not None:
        options = replace(options, languages=tuple(n.strip() for n in langs.split(",") if n.strip()))
    if no_figures:
        options = options.without("figures", "printed")
    elif no_pdf:
        options = options.without("printed")
    report = run(atlas, out, options)
    total = sum(report.seconds.values())
    made, reused = sum(report.made.values()), sum(report.reused.values())
    click.echo(f"Wrote {len(report.files)} files to {out}/ in {total:.1f} s "
               f"({', '.join(f'{k} {v:.1f} s' for k, v in report.seconds.items())}; "
               f"{made} outputs made, {reused} unchanged).")
    folders: dict[str, int] = {}
    for rel in report.files:
        if rel.startswith("."):  # the build's own records (.mapper/build-keys.json)
            continue
        top = rel.split("/", 1)[0] + ("/" if "/" in rel else "")
        folders[top] = folders.get(top, 0) + 1
    for top, n in folders.items():
        click.echo(f"  {out / top}{'/' if top.endswith('/') else ''}" + (f"  ({n} files)" if top.endswith("/") else ""))
    if "index.html" in folders:
        click.echo(f"Open {(out / 'index.html').resolve().as_uri()} in a browser.")


def _date_text(ctx, param, value):
    """Refuse an --at value too long to be a date before it is quoted back (it could be 100 KB)."""
    if value is not None and len(value) > 40:
        from mapper.limits import shorten

        raise click.BadParameter(f"{shorten(value)} is not a date (write YYYY-MM-DD, YYYY-MM or YYYY)")
    return value


@main.command("slice")
@geodata_option
@click.option("--at", "at", required=True, metavar="YYYY-MM-DD", callback=_date_text, help="The date of the state to write.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, allow_dash=True, path_type=Path), default=None,
              help="File to write: .geojson (or any other name), .shp (a UTF-8 Shapefile) or .gpkg "
                   "(default or -: GeoJSON on standard output).")
@_friendly
def slice_(geodata, at, output):
    """Write the state on a date as one GeoJSON FeatureCollection (or a Shapefile or GeoPackage, by -o's suffix).

    Every feature carries the slice's date and event, so GIS programs keep them.
    """
    from mapper.exports import dump_geojson, slice_collection
    from mapper.exports.slices import write_slice

    atlas = mapper.load(geodata)
    state = mapper.state_at(atlas, at)
    if output is None or str(output) == "-":
        click.echo(dump_geojson(slice_collection(atlas, state)), nl=False)
    else:
        write_slice(atlas, state, output)
        click.echo(f"Wrote {output}", err=True)


@main.command()
@geodata_option
@_friendly
def events(geodata):
    """List the events as a table: date, id, title, what changed."""
    from mapper.words import Words

    atlas = mapper.load(geodata)
    w = Words("en", atlas)
    rows = []
    for st in mapper.steps(atlas):
        e = st.event
        date = e.date.iso + (f" (O.S. {e.date_os.isoformat()})" if e.date_os else "")
        if e.date_certainty != "exact":
            date += " ?" if e.date_certainty == "approximate" else " ±"
        what = [w.step_changes(st)] if st.changes else []
        what += [f"+{z}" for z in st.zones_begun] + [f"-{z}" for z in st.zones_ended]
        rows.append((date, e.id, e.title, "; ".join(what)))
    widths = [max(len(r[i]) for r in rows) for i in range(3)]
    click.echo(f"{'date':<{widths[0]}}  {'id':<{widths[1]}}  {'title':<{widths[2]}}  changes")
    for r in rows:
        click.echo(f"{r[0]:<{widths[0]}}  {r[1]:<{widths[1]}}  {r[2]:<{widths[2]}}  {r[3]}")
    click.echo(f"{len(rows)} events; ? approximate date, ± disputed date (see the date notes).")


@main.command()
@geodata_option
@_friendly
def validate(geodata):
    """Check the geodata and report every problem (exit 1 if there are any), then missing translations."""
    from mapper.validate import missing_translations, translation_overlaps

    atlas = mapper.load(geodata)
    click.echo(f"OK: {len(atlas.units)} units, {len(atlas.zones)} zones, {len(atlas.events)} events, "
               f"{len(atlas.places)} places.")
    for lang, gaps in missing_translations(atlas).items():  # warnings: these show in English
        if not gaps:
            click.echo(f"Translations ({lang}): complete.")
            continue
        click.echo(f"Warning: {len(gaps)} text{'s' if len(gaps) != 1 else ''} not translated into {lang} "
                   f"(shown in English; add them to translations/{lang}.yaml):")
        for gap in gaps:
            click.echo(f"  {gap}")
    for lang, doubles in translation_overlaps(atlas).items():
        for double in doubles:
            click.echo(f"Warning: translations/{lang}.yaml names {double}")
    from mapper.words import LANGUAGES, untranslated_messages

    for lang in LANGUAGES[1:]:  # the interface's messages (mapper/locale), likewise shown in English when missing
        if missing := untranslated_messages(lang):
            click.echo(f"Warning: {len(missing)} message{'s' if len(missing) != 1 else ''} not translated into {lang} "
                       f"(mapper/locale/{lang}/LC_MESSAGES/mapper.po): " + "; ".join(repr(m) for m in missing[:5])
                       + (" ..." if len(missing) > 5 else ""))


@main.command()
@geodata_option
@click.argument("name", metavar="ID")
@click.option("--size", type=click.Choice(["column", "page", "slide"]), default="page", show_default=True,
              help="Where the figure goes: a report's column (8.5 cm), an A4 page's text width (17 cm) or a 16:9 slide.")
@click.option("--format", "fmt", type=click.Choice(["png", "svg", "pdf"]), default=None,
              help="File format (default: from the output's extension, else png).")
@click.option("--dpi", type=click.IntRange(72, 1200), default=300, show_default=True, help="Resolution of a PNG.")
@click.option("--lang", type=click.Choice(["en", "fa", "ru"]), default="en", show_default=True, help="Language.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="File to write (default: ID.FORMAT in the current folder).")
@_friendly
def figure(geodata, name, size, fmt, dpi, lang, output):
    """Draw the print figure ID: an event id, `overview` (or a page of it, `overview-1` ...) or `territory`,
    sized for a column, page or slide."""
    from mapper.figures import save_figure

    suffix = output.suffix.lstrip(".").lower() if output else ""
    if suffix and suffix not in ("png", "svg", "pdf"):
        raise MapperError(f"{output}: a figure is written as .png, .svg or .pdf, not .{suffix}; name the file so")
    if suffix and fmt and suffix != fmt:
        raise MapperError(f"{output}: the name says .{suffix} but --format is {fmt}; make them agree")
    atlas = mapper.load(geodata)
    if fmt is None:
        fmt = suffix or "png"
    output = output or Path(f"{name}.{fmt}")
    save_figure(atlas, name, output, fmt=fmt, size=size, dpi=dpi, lang=lang)
    click.echo(f"Wrote {output}")


@main.command()
@click.option("--sources", type=click.Path(file_okay=False, exists=True, path_type=Path), required=True,
              help="Folder with the Natural Earth extract (ne10m_admin1_region.geojson).")
@click.option("--geodata", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Folder to write into (default: $MAPPER_GEODATA, else the package's own mapper/data).")
@_friendly
def derive(sources, geodata):
    """Re-derive units, zones and countries from Natural Earth (see mapper/data/derivation.yaml)."""
    from mapper.derive import derive as run
    from mapper.geodata import package_geodata

    if geodata is None:
        geodata = Path(os.environ["MAPPER_GEODATA"]) if os.environ.get("MAPPER_GEODATA") else package_geodata()

    report = run(sources, geodata)
    for p in report.written:
        click.echo(f"Wrote {p}")
    click.echo(f"{report.vertices} vertices after coverage simplification.")
    if report.unused:
        click.echo(f"Admin-1 units of Iran, Azerbaijan and Armenia in no unit: {', '.join(report.unused)}", err=True)


if __name__ == "__main__":  # pragma: no cover
    main()
