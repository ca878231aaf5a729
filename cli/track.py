"""``stdcompare track OLD NEW``: what changed between two editions of a standard."""

from __future__ import annotations

import click

from .common import handle_errors, output_path, progress, quiet_option
from .library import library_option


@click.command("track")
@click.argument("old")
@click.argument("new", required=False)
@click.option(
    "--json",
    "json_out",
    metavar="FILE",
    help="Write the edition diff JSON (schema stdcompare/track-v1).",
)
@click.option("--html", "html_out", metavar="FILE", help="Write the self-contained HTML report.")
@click.option(
    "--reworded-min",
    type=click.FloatRange(0.01, 1.0),
    default=0.6,
    show_default=True,
    help="Lowest text similarity (0-1, rapidfuzz ratio) at which a changed clause counts as "
    "reworded rather than removed and new.",
)
@click.option(
    "--skip-bad-pages",
    is_flag=True,
    help="Leave out scanned or broken-font pages instead of refusing the document.",
)
@library_option
@quiet_option
@handle_errors
def track(
    old: str,
    new: str | None,
    json_out: str | None,
    html_out: str | None,
    reworded_min: float,
    skip_bad_pages: bool,
    library_path: str | None,
    quiet: bool,
) -> None:
    """Diff two editions of one standard: indicators added, removed or changed (tightened,
    relaxed) and clauses new, removed, moved or reworded.

    OLD and NEW are files (PDF or text) or codes stored in the library ("GB 5749—2006").
    With only OLD, a code, its two newest stored editions are diffed. Without --json or
    --html a summary of the changed limits is printed.
    """
    from stdcompare.tracking import ClauseDiffSettings
    from stdcompare.tracking import track as run_track

    outputs = {"json": output_path(json_out), "html": output_path(html_out)}
    with progress(not quiet) as say:
        say("reading editions and diffing")
        diff = run_track(
            old,
            new,
            library=library_path,
            clause_settings=ClauseDiffSettings(reworded_min=reworded_min),
            bad_pages="skip" if skip_bad_pages else "error",
        )
        say("writing reports")
        if outputs["json"]:
            diff.to_json(outputs["json"])
        if outputs["html"]:
            diff.to_html(outputs["html"])
    s = diff.summary
    click.echo(
        f"{diff.old.code or old} → {diff.new.code or new}: limits changed "
        f"{s['indicators_changed']} ({s['limits_tightened']} tightened, {s['limits_relaxed']} "
        f"relaxed), indicators added {s['indicators_added']}, removed "
        f"{s['indicators_removed']}; clauses new {s['clauses_new']}, removed "
        f"{s['clauses_removed']}, reworded {s['clauses_reworded']}, moved {s['clauses_moved']}"
    )
    for w in diff.meta.get("warnings") or []:
        click.echo(f"warning: {w}", err=True)
    if not any(outputs.values()):
        for ic in diff.changed:
            click.echo(f"  {ic.change:<8} {ic.parameter} {ic.product}: {ic.reason}".rstrip())
    for kind, path in outputs.items():
        if path:
            click.echo(f"{kind}: {path}")
