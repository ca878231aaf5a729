"""Entry point: ``stdcompare [--version] COMMAND …``."""

from __future__ import annotations

import importlib

import click

from stdcompare import __version__

# Each module defines one click command (or group) named in the second field.
COMMANDS = (
    ("compare", "compare"),
    ("indicators", "indicators"),
    ("inspect", "inspect"),
    ("library", "library"),
    ("track", "track"),
    ("batch", "batch"),
)


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, "-V", "--version", prog_name="stdcompare")
def main() -> None:
    """Compare Chinese national standards (GB, GB/T) with foreign standards and technical
    regulations (ISO, IEC, EN, Codex, EU/US in English; GOST, EAEU in Russian).

    \b
    Examples:
      stdcompare compare GB5749.pdf EU2020-2184.pdf --html report.html --json gaps.json
      stdcompare indicators GB2762.pdf --json indicators.json
    """


for _module, _name in COMMANDS:
    _mod = importlib.import_module(f"{__package__}.{_module}")
    main.add_command(getattr(_mod, _name))


if __name__ == "__main__":  # pragma: no cover
    main()
