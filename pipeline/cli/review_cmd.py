"""``review``: the editors' workspace in the browser, on this machine only."""

from __future__ import annotations

import webbrowser
from pathlib import Path

import click

from pipeline.cli.app import main, say
from pipeline.cli.options import described, parse_models
from pipeline.review.options import ReviewOptions


@main.command()
@click.argument("session_dir", type=click.Path(path_type=Path))
@click.option("-p", "--port", type=click.IntRange(0, 65535), default=0, show_default=True,
              help="Port on 127.0.0.1 to serve on; 0 picks a free one.")
@click.option("--no-browser", is_flag=True, help="Print the address without opening a browser.")
@click.option("--editor", help="Your name, recorded with each correction (may be left out).")
@click.option("--low-confidence", type=click.FloatRange(0, 1),
              help=described(ReviewOptions, "low_confidence"))
@click.option("--mt-model", "mt_models", multiple=True, metavar="LANG=NAME_OR_DIR",
              help="The translation model 'Translate again' uses for one language, a hub name "
              "already on this machine or a local folder (repeat per language). Default: the "
              "model the session was translated with.")
def review(session_dir: Path, port: int, no_browser: bool, editor: str | None,
           low_confidence: float | None, mt_models: tuple[str, ...]) -> None:
    """Review and correct SESSION_DIR in the browser, with the recording at hand.

    Serves a local page on 127.0.0.1 only: the agenda, every sentence with its time and
    speaker in English beside French and Spanish, each item's draft summary, and a player of
    the recording (click a sentence to hear it). Corrections of sentences, speakers, item
    starts and summaries are kept in the session folder (edits.json, speakers.yaml,
    summary.md) and every later run keeps them. The printed address carries a random token
    that every request needs; stop with Ctrl+C.

    Example: session-pipeline review out/ --editor "Ana Ruiz"
    """
    from pipeline.review.app import address, bind, create_app, serve

    options = ReviewOptions(editor=editor or "", mt_models=parse_models(mt_models),
                            **({"low_confidence": low_confidence}
                               if low_confidence is not None else {}))
    app = create_app(session_dir, options)
    sock = bind(port)
    url = address(app, sock)
    click.echo(url)
    say(f"Serving {session_dir} for review at the address above (this machine only); "
        "press Ctrl+C to stop.")
    serve(app, sock, on_ready=None if no_browser else lambda: webbrowser.open(url))
    say("Stopped; every saved correction is in the session folder.")
