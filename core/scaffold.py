"""``flask --app wsgi plugins new NAME``: write a working plugin package to start from.

The package (``core/scaffold_templates/``, filled in with :class:`string.Template`) holds the hook
implementations, one organisation-owned model, its API (list, record, read one), a staff page
extending ``layout.html``, settings with a schema, a KPI, the first revision of the plugin's own
migration branch and tests. The revision id follows the house style (``<initials>0001_<name>``) and
``depends_on`` the core revision(s) that are the head when the plugin is written, read from the
migration scripts, so the plugin's tables are created after every core table they may refer to.
The generated code passes ruff with the project's settings; ``tests/test_plugin_scaffold.py``
migrates a scaffolded plugin and runs its tests.
"""

from __future__ import annotations

import keyword
import re
import sys
from dataclasses import dataclass
from importlib.util import find_spec
from pathlib import Path
from string import Template

from core import plugin_kit

PROJECT_ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = Path(__file__).resolve().parent / "scaffold_templates"
CORE_MIGRATIONS = PROJECT_ROOT / "migrations"
# Longer names would push generated lines past the 110 columns ruff allows.
NAME = re.compile(r"^[a-z][a-z0-9_]{1,29}$")


class ScaffoldError(ValueError):
    """The plugin cannot be written as asked (the message says why)."""


@dataclass(frozen=True)
class Scaffold:
    name: str
    package_dir: Path
    module: str
    revision: str
    files: list[Path]


def core_heads(migrations: Path = CORE_MIGRATIONS) -> list[str]:
    """The head revision(s) of core's own migration scripts (plugins' branches not included)."""
    from alembic.script import ScriptDirectory

    script = ScriptDirectory(str(migrations), version_locations=[str(migrations / "versions")])
    return sorted(script.get_heads())


def revision_prefix(name: str) -> str:
    """The house style's initials: ``key_targets`` → ``kt``, ``allotments`` → ``al``."""
    words = [word for word in name.split("_") if word]
    initials = "".join(word[0] for word in words) if len(words) > 1 else words[0][:2]
    return initials if initials[0].isalpha() else f"p{initials}"


def module_path(directory: Path, name: str) -> str:
    """How Python imports ``directory/name``: prefixed by every enclosing package (a folder with
    an ``__init__.py``), e.g. ``plugins.allotments`` inside this project."""
    parts = [name]
    folder = directory.resolve()
    while (folder / "__init__.py").exists():
        parts.insert(0, folder.name)
        folder = folder.parent
    return ".".join(parts)


def check_name(name: str, directory: Path, installed: dict[str, str]) -> None:
    if not NAME.match(name) or name.endswith("_") or "__" in name:
        raise ScaffoldError(
            f"{name!r} is not a plugin name: use 2 to 30 lower-case letters, digits and single "
            "underscores, starting with a letter"
        )
    if keyword.iskeyword(name):
        raise ScaffoldError(f"{name!r} is a Python keyword")
    if name in installed:
        raise ScaffoldError(f"a plugin called {name!r} is already installed ({installed[name]})")
    target = directory / name
    if target.exists():
        raise ScaffoldError(f"{target} already exists")
    if module_path(directory, name) == name and name in sys.stdlib_module_names | {"core", "tests"}:
        raise ScaffoldError(f"{name!r} would hide the module of the same name")
    if module_path(directory, name) == name and find_spec(name) is not None:
        raise ScaffoldError(f"a module called {name!r} can already be imported")


def _depends_on(heads: list[str]) -> str:
    if len(heads) == 1:
        return f'"{heads[0]}"'
    return "(\n" + "".join(f'    "{head}",\n' for head in heads) + ")"


def values_for(name: str, heads: list[str]) -> dict[str, str]:
    title = name.replace("_", " ").capitalize()
    return {
        "plugin": name,
        "title": title,
        "title_lower": title.lower(),
        "camel": "".join(word.capitalize() for word in name.split("_")),
        "revision": f"{revision_prefix(name)}0001_{name}",
        "depends_on": _depends_on(heads),
        "depends_on_text": ", ".join(heads),
        "created": plugin_kit.now().strftime("%Y-%m-%d %H:%M"),
    }


def write_plugin(
    name: str, directory: Path, installed: dict[str, str] | None = None, heads: list[str] | None = None
) -> Scaffold:
    """Write the plugin package ``directory/name``; nothing is written if the name is refused."""
    directory = directory.resolve()
    if not directory.is_dir():
        raise ScaffoldError(f"{directory} is not a folder")
    check_name(name, directory, installed or {})
    heads = heads if heads is not None else core_heads()
    if not heads:
        raise ScaffoldError(f"no core migration found in {CORE_MIGRATIONS / 'versions'}")
    values = values_for(name, heads)
    package = directory / name
    written = []
    for source in sorted(TEMPLATES.rglob("*.tmpl")):
        relative = source.relative_to(TEMPLATES).as_posix()[: -len(".tmpl")]
        relative = relative.replace("__plugin__", name).replace("__revision__", values["revision"])
        target = package / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(Template(source.read_text()).substitute(values))
        written.append(target)
    return Scaffold(name, package, module_path(directory, name), values["revision"], written)


def next_steps(result: Scaffold, project_root: Path = PROJECT_ROOT) -> str:
    """What to do after writing the package, for the command to print."""
    name, module, prefix = result.name, result.module, revision_prefix(result.name)
    try:
        shown = result.package_dir.relative_to(project_root)
    except ValueError:
        shown = result.package_dir
    return f"""Wrote the {name} plugin to {shown} ({len(result.files)} files; migration {result.revision}).

Next:
  1. Install it, either
     - as an entry point (the way the product's plugins are installed): add
           {name} = "{module}"
       under [project.entry-points."involve.plugins"] in pyproject.toml, then reinstall
       (pip install -e .) so Python sees the new entry point; or
     - for development, through PLUGIN_MODULES: in instance/involve.toml
           PLUGIN_MODULES = {{ {name} = "{module}" }}
       or in the environment: INVOLVE_PLUGIN_MODULES='{{"{name}": "{module}"}}'
       (its folder must be importable: on PYTHONPATH, or inside this project).
  2. flask --app wsgi db upgrade
  3. Enable it for an organisation: add
           [plugins.{name}]
           enabled = true
       to tenants_config/<organisation>.toml and run flask --app wsgi orgs sync.
  4. Run its tests: python -m pytest {shown}/tests
  5. After changing a model: flask --app wsgi db upgrade (first!), then
     flask --app wsgi db revision --autogenerate --head {name}@head --rev-id {prefix}0002_<topic> -m "<topic>"
See docs/plugin-guide.md."""
