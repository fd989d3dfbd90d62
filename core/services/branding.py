"""A landlord's public face: the name, logo, colour and contact details its residents' site shows.

They come from the optional ``[public]`` table of the landlord's ``tenants_config`` file (validated by
``PublicSettingsSchema`` and stored by ``orgs sync`` as ``settings["public"]``). Anything missing falls
back to the organisation's name and the product's neutral colours. A brand colour is only put behind
white text when the pair reaches the WCAG AA contrast ratio for normal text (4.5:1); a paler colour is
kept to a decorative stripe, so no landlord can choose an unreadable header.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from marshmallow import Schema, fields, validate

HEX_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")
# A file under core/static/: letters, digits, dashes, dots and slashes, no "..", an image suffix.
LOGO_PATH = re.compile(r"^(?!.*\.\.)[a-z0-9][a-z0-9_./-]{0,150}\.(png|svg|jpg|jpeg|webp)$")
NEUTRAL_COLOUR = "#0b0c0c"  # the product's neutral header: near-black, 19.8:1 against white
WHITE = "#ffffff"
AA_NORMAL_TEXT = 4.5


class PublicSettingsSchema(Schema):
    """The ``[public]`` table of a tenants_config file; every key optional, unknown keys refused."""

    display_name = fields.String(validate=validate.Length(min=1, max=200))
    logo = fields.String(
        validate=validate.Regexp(
            LOGO_PATH, error="a path under core/static/ ending .png, .svg, .jpg or .webp"
        )
    )
    logo_alt = fields.String(validate=validate.Length(min=1, max=200))
    brand_colour = fields.String(validate=validate.Regexp(HEX_COLOUR, error="a colour such as #1d70b8"))
    contact_phone = fields.String(validate=validate.Length(min=3, max=40))
    contact_email = fields.Email(validate=validate.Length(max=254))
    contact_address = fields.List(
        fields.String(validate=validate.Length(min=1, max=200)), validate=validate.Length(max=8)
    )
    website = fields.Url(schemes={"https", "http"}, validate=validate.Length(max=300))


def _channel(value: int) -> float:
    level = value / 255
    return level / 12.92 if level <= 0.03928 else ((level + 0.055) / 1.055) ** 2.4


def relative_luminance(colour: str) -> float:
    """WCAG 2 relative luminance of a ``#rrggbb`` colour."""
    red, green, blue = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * _channel(red) + 0.7152 * _channel(green) + 0.0722 * _channel(blue)


def contrast_ratio(first: str, second: str) -> float:
    """WCAG 2 contrast ratio between two ``#rrggbb`` colours (1 to 21)."""
    lighter, darker = sorted((relative_luminance(first), relative_luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


@dataclass(frozen=True)
class Branding:
    display_name: str
    logo: str | None
    logo_alt: str
    brand_colour: str | None
    header_colour: str  # what sits behind the header's white text
    contact_phone: str | None
    contact_email: str | None
    contact_address: list[str]
    website: str | None

    @property
    def has_contact(self) -> bool:
        return bool(self.contact_phone or self.contact_email or self.contact_address or self.website)


def header_colour(brand_colour: str | None) -> str:
    """The brand colour if white text on it passes AA, the neutral colour otherwise."""
    if (
        brand_colour
        and HEX_COLOUR.match(brand_colour)
        and contrast_ratio(brand_colour, WHITE) >= AA_NORMAL_TEXT
    ):
        return brand_colour.lower()
    return NEUTRAL_COLOUR


def branding_of(organisation) -> Branding:
    public: dict[str, Any] = organisation.setting("public") or {}
    colour = public.get("brand_colour")
    if not (isinstance(colour, str) and HEX_COLOUR.match(colour)):
        colour = None
    name = public.get("display_name") or organisation.name
    return Branding(
        display_name=name,
        logo=public.get("logo"),
        logo_alt=public.get("logo_alt") or name,
        brand_colour=colour.lower() if colour else None,
        header_colour=header_colour(colour),
        contact_phone=public.get("contact_phone"),
        contact_email=public.get("contact_email"),
        contact_address=list(public.get("contact_address") or []),
        website=public.get("website"),
    )
