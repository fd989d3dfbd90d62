"""A faster dump for flat schemas whose objects are ORM rows (the long lists of the API).

marshmallow serialises each field of each object through ``Field.serialize`` → ``get_value`` →
the schema's accessor → ``utils.get_value`` (a ``__getitem__`` probe, then ``getattr``) →
``_serialize``: five Python calls per value, about a third of a ``participants?per_page=50``
request. :class:`CompiledDump` plans a schema's dump once per schema instance: every attribute
is read with one ``operator.attrgetter`` call per object, and each value goes through a converter
chosen for its field's exact class, written to give what that class's ``_serialize`` gives:

* ``String`` (and ``Email``): ``None`` or ``str`` (bytes decoded as UTF-8);
* ``Integer``: ``None`` or ``int``; a plain ``Field`` (``Boolean``, ``Raw``): the value itself;
* ``Date`` and ``DateTime`` in ISO format: ``isoformat()``; ``UtcDateTime`` first gives a naive
  value the UTC zone, as it does;
* ``List`` of one of those: the same converter per element.

Any other field keeps its own ``_serialize``. Nothing else changes: ``pre_dump``/``post_dump``
hooks still run (they are in ``dump``, around ``_serialize``), a dict is serialised the usual
way, and so is an object lacking one of the attributes (``dump_default`` and ``missing`` apply
there). The output is the same, key for key and in the same order (``tests/test_compiled_dump.py``
checks the bytes of the responses).
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Mapping
from datetime import UTC
from typing import Any

from marshmallow import Schema, fields

from core.schemas.fields import UtcDateTime

ISO = (None, "iso", "iso8601")


def _text(value: Any) -> Any:
    if value is None or value.__class__ is str:
        return value
    return value.decode("utf-8") if isinstance(value, bytes) else str(value)


def _integer(value: Any) -> Any:
    return None if value is None else int(value)


def _iso(value: Any) -> Any:
    return None if value is None else value.isoformat()


def _utc_iso(value: Any) -> Any:
    if value is None:
        return None
    return (value if value.tzinfo is not None else value.replace(tzinfo=UTC)).isoformat()


def converter(field: fields.Field) -> Callable[[Any], Any] | None | bool:
    """The converter giving what ``field._serialize`` gives, ``None`` for "the value as it is",
    or ``False`` when the field must keep its own ``_serialize``."""
    kind = type(field)
    method = kind._serialize
    if kind is UtcDateTime:
        return _utc_iso if field.format in ISO else False
    if method is fields.Field._serialize:
        return None
    if method is fields.String._serialize:
        return _text
    if method is fields.Number._serialize and kind.num_type is int and not field.as_string:
        return _integer
    if method is fields.DateTime._serialize and isinstance(field, fields.Date | fields.DateTime):
        return _iso if field.format in ISO else False
    if method is fields.List._serialize:
        inner = converter(field.inner)
        if inner is False:
            return False
        if inner is None:
            return lambda value: None if value is None else list(value)
        return lambda value: None if value is None else [inner(each) for each in value]
    return False


class CompiledDump(Schema):
    """A schema whose dump of objects (not dicts) runs a plan made once (see the module)."""

    def _plan(self):
        plan = self.__dict__.get("_compiled_plan")
        if plan is None:
            items = list(self.dump_fields.items())
            if not items or any(not field._CHECK_ATTRIBUTE for _, field in items):
                plan = ()
            else:
                names = [field.attribute or name for name, field in items]
                if any("." in name for name in names):
                    plan = ()
                else:
                    getter = operator.attrgetter(*names)
                    steps = [
                        (name if field.data_key is None else field.data_key, converter(field), field, name)
                        for name, field in items
                    ]
                    plan = (getter, steps, len(steps) == 1)
            self.__dict__["_compiled_plan"] = plan
        return plan

    def _serialize(self, obj: Any, *, many: bool = False):
        if many and obj is not None:
            return [self._serialize(each, many=False) for each in obj]
        plan = self._plan()
        if not plan or obj is None or isinstance(obj, Mapping) or hasattr(obj, "__getitem__"):
            return super()._serialize(obj, many=False)
        getter, steps, single = plan
        try:
            values = getter(obj)
        except AttributeError:  # a missing attribute: dump_default and missing apply
            return super()._serialize(obj, many=False)
        if single:
            values = (values,)
        result = self.dict_class()
        for (key, convert, field, name), value in zip(steps, values, strict=True):
            if convert is None:
                result[key] = value
            elif convert is False:
                result[key] = field._serialize(value, name, obj)
            else:
                result[key] = convert(value)
        return result
