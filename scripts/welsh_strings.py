"""Check the Welsh catalogue of the residents' site, then compile it.

The Welsh is kept in ``core/translations/cy/LC_MESSAGES/messages.po``; ``pybabel update`` carries it
over when strings change (docs/residents-site.md, "Readable by everyone"). Every string extracted
by ``babel.cfg`` is resident-facing, so every one must have its Welsh, with the same placeholders
(``%(name)s``, ``{0}``) as the English and no fuzzy guess left by ``pybabel update``.

    python scripts/welsh_strings.py            # check, then write messages.mo (exit 1 on a problem)
    python scripts/welsh_strings.py --check    # check only

The Welsh wants checking by a Welsh speaker before go-live; staff pages stay English.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

CATALOGUE = Path(__file__).resolve().parent.parent / "core" / "translations" / "cy" / "LC_MESSAGES"
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|\{\w*\}")


def load() -> Catalog:
    with (CATALOGUE / "messages.po").open("rb") as handle:
        return read_po(handle, locale="cy")


def placeholders(text: str) -> list[str]:
    return sorted(PLACEHOLDER.findall(text))


def problems(catalog: Catalog) -> list[str]:
    """Every message without Welsh, still fuzzy, or whose placeholders differ from the English."""
    found = []
    for message in catalog:
        if not message.id:
            continue
        english = message.id if isinstance(message.id, str) else message.id[0]
        # A plural has one Welsh form per plural category (six); each carries the English's placeholders.
        forms = [message.string] if isinstance(message.string, str) else list(message.string)
        if not all(forms):
            found.append(f"no Welsh: {english!r}")
        elif message.fuzzy:
            found.append(f"fuzzy (check it, then remove the fuzzy flag): {english!r}")
        else:
            for welsh in forms:
                if placeholders(english) != placeholders(welsh):
                    found.append(f"placeholders differ: {english!r} -> {welsh!r}")
        for error in message.check(catalog):
            found.append(f"{error}: {english!r}")
    return found


def main(argv: list[str]) -> int:
    catalog = load()
    found = problems(catalog)
    for problem in found:
        print(problem)
    if found:
        print(f"{len(found)} problem(s) in {CATALOGUE / 'messages.po'}")
        return 1
    if "--check" not in argv:
        with (CATALOGUE / "messages.mo").open("wb") as handle:
            write_mo(handle, catalog)
    print(f"{sum(1 for m in catalog if m.id)} strings, all in Welsh")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
